"""CMS screen: HR defines skill checklists (items, recheck interval, the job roles
that require them) under "Skill checklists". Sign-offs are recorded in the portal."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SkillChecklist


class SkillChecklistViewSet(SnippetViewSet):
    model = SkillChecklist
    icon = "tasks"
    menu_label = "Skill checklists"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "recheck_months"]
    search_fields = ["name"]


register_snippet(SkillChecklistViewSet)
