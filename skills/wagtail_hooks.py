"""CMS screens: HR defines skill checklists (items, recheck interval, who may
sign them off) under "Skill checklists", and who must have them under
Requirements › Skill requirements. Sign-offs are recorded in the portal."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.wagtail_hooks import RequirementViewSet, SnippetChooserViewSet

from .models import SkillChecklist, SkillRequirement


class SkillChecklistViewSet(SnippetViewSet):
    model = SkillChecklist
    icon = "tasks"
    menu_label = "Skill checklists"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "recheck_months"]
    search_fields = ["name"]
    # The screens keep the address they had while the model lived in compliance.
    url_prefix = "snippets/compliance/skillchecklist"
    chooser_viewset_class = SnippetChooserViewSet


class SkillRequirementViewSet(RequirementViewSet):
    model = SkillRequirement
    icon = "tasks"
    menu_label = "Skill requirements"
    menu_order = 30
    item_fields = ["checklist"]


register_snippet(SkillChecklistViewSet)


@hooks.register("register_requirement_viewset")
def register_skill_requirements():
    return SkillRequirementViewSet("skillrequirement")
