"""Signal receivers: a person's new job role, a course published."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.dates import agency_today

if TYPE_CHECKING:
    from portal.models import JobRole, StaffProfile


def assign_job_role_requirements(
    sender: object,
    staff: StaffProfile,
    previous_job_role: JobRole | None = None,
    **kwargs: Any,
) -> None:
    """A hire gets orientation due from the hire date; a role change from today."""
    from .services import assignments_create_for_job_role

    start = staff.hire_date if previous_job_role is None else agency_today()
    assignments_create_for_job_role(staff=staff, start=start)


def bump_course_version(sender, instance, revision=None, **kwargs):
    """Publishing a course, lesson, quiz or attestation with "substantive change"
    checked increases the course version by one; the box is unchecked again."""
    from .models import CoursePage
    from .services import course_version_bump

    if not getattr(instance, "substantive_change", False):
        return
    type(instance).objects.filter(pk=instance.pk).update(substantive_change=False)
    instance.substantive_change = False
    if revision is not None:
        # The next edit starts from this revision: untick the box there too.
        revision.content["substantive_change"] = False
        revision.save(update_fields=["content"])
    course = instance if isinstance(instance, CoursePage) else instance.get_parent()
    course = course_version_bump(
        course=course.specific, by=getattr(revision, "user", None)
    )
    if isinstance(instance, CoursePage):
        instance.version = course.version
        if revision is not None:
            revision.content["version"] = course.version
            revision.save(update_fields=["content"])
