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


def records_under(page) -> dict[str, int]:
    """What an auditor relies on that points at ``page`` or a page below it."""
    from .models import Attestation, Completion, QuizAttempt

    ids = list(page.get_descendants(inclusive=True).values_list("pk", flat=True))
    counts = {
        "completions": Completion.objects.filter(course_id__in=ids).count(),
        "quiz attempts": QuizAttempt.objects.filter(quiz_id__in=ids).count(),
        "signed attestations": Attestation.objects.filter(page_id__in=ids).count(),
    }
    return {label: n for label, n in counts.items() if n}


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_records(request, page):
    """A course, quiz or policy that people completed, attempted or signed is kept:
    the delete is refused with a message (unpublish it instead)."""
    kept = records_under(page)
    if not kept:
        return None
    from django.contrib import messages
    from django.shortcuts import redirect

    listed = ", ".join(f"{n} {label}" for label, n in kept.items())
    messages.error(
        request,
        f"“{page.title}” cannot be deleted: {listed} refer to it, and auditors rely "
        "on them. Unpublish it instead; the records stay.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
