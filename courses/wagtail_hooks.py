"""Wagtail admin screens for training: the course requirements, shown under the
one "Requirements" menu (``portal.wagtail_hooks``).

Completions and attestations have no admin screen on purpose: they are records an
auditor relies on and are read on a person's page, never edited.
"""

from wagtail import hooks

from portal.wagtail_hooks import RequirementViewSet

from .models import CourseRequirement


class CourseRequirementViewSet(RequirementViewSet):
    model = CourseRequirement
    icon = "doc-full-inverse"
    menu_label = "Course requirements"
    menu_order = 10
    item_fields = ["course"]


@hooks.register("register_requirement_viewset")
def register_course_requirements():
    return CourseRequirementViewSet("courserequirement")
