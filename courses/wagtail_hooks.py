"""Wagtail admin screens for training: what each job role must complete.

Completions and attestations have no admin screen on purpose: they are records an
auditor relies on and are read on a person's page, never edited.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CourseRequirement


class CourseRequirementViewSet(ModelViewSet):
    model = CourseRequirement
    icon = "list-ul"
    menu_label = "Course requirements"
    menu_order = 210
    add_to_admin_menu = True
    form_fields = ["job_role", "course", "due_within_days", "before_first_shift"]
    list_display = ["job_role", "course", "due_within_days", "before_first_shift"]
    list_filter = ["job_role", "before_first_shift"]


@hooks.register("register_admin_viewset")
def register_course_requirements():
    return CourseRequirementViewSet("courserequirement")
