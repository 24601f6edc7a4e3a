"""Signal receivers: a person's new job role, a course published."""

from __future__ import annotations

from django.db.models import F

from portal.dates import agency_today


def assign_job_role_requirements(sender, staff, previous_job_role=None, **kwargs):
    """A hire gets orientation due from the hire date; a role change from today."""
    from .services import assignments_create_for_job_role

    start = staff.hire_date if previous_job_role is None else agency_today()
    assignments_create_for_job_role(staff=staff, start=start)


def bump_course_version(sender, instance, revision=None, **kwargs):
    """Publishing with "substantive change" ticked increases the course version."""
    from .models import CoursePage

    if not instance.substantive_change:
        return
    CoursePage.objects.filter(pk=instance.pk).update(
        version=F("version") + 1, substantive_change=False
    )
    instance.refresh_from_db(fields=["version", "substantive_change"])
    if revision is not None:
        # The next edit starts from this revision: untick the box there too.
        revision.content["substantive_change"] = False
        revision.content["version"] = instance.version
        revision.save(update_fields=["content"])
