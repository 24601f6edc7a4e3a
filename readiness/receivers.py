"""What keeps the store right: every change a status depends on marks the people
it touches (``services.readiness_mark``); each is recomputed once when the
change's transaction commits, or by a worker past ``READINESS_INLINE_LIMIT``.

The models are found by name so that an app that moves a model (skills into their
own app) keeps it watched.
"""

from __future__ import annotations

import threading

from django.apps import apps
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from portal.bulk import defer_people
from portal.models import Agency, JobRole, Requirement, StaffProfile, Team
from portal.signals import user_access_ended, user_access_restored

from . import services

# Records of one person: a change refreshes that person.
PERSON_RECORDS = ("Completion", "Assignment", "Credential", "SkillSignOff")
UID = "readiness-store"


def _models(name: str) -> list:
    return [m for m in apps.get_models() if m.__name__ == name]


# People whose delete is under way in this thread: the cascade deletes their
# assignments and the like, and their rows go with them; they are not recomputed.
_deleting = threading.local()


def _being_deleted() -> set[int]:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def _refresh(staff_ids) -> None:
    gone = _being_deleted()
    ids = [pk for pk in staff_ids if pk is not None and pk not in gone]
    # Inside a bulk job's batch, each person is recomputed once at its end.
    if ids and not defer_people(ids):
        services.readiness_mark(ids)


def _scope_ids(*, job_role_id, program_id, site_id) -> set[int]:
    qs = StaffProfile.objects.all()
    if job_role_id:
        qs = qs.filter(job_role_id=job_role_id)
    if program_id:
        qs = qs.filter(team__program_id=program_id)
    if site_id:
        qs = qs.filter(team__site_id=site_id)
    return set(qs.values_list("pk", flat=True))


def _scope_of(requirement) -> tuple:
    return (requirement.job_role_id, requirement.program_id, requirement.site_id)


def staff_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh([instance.pk])


def staff_before_delete(sender, instance, **kwargs) -> None:
    _being_deleted().add(instance.pk)


def staff_deleted(sender, instance, **kwargs) -> None:
    _being_deleted().discard(instance.pk)


def access_changed(sender, user, **kwargs) -> None:
    """A deactivated person counts nowhere; a reactivated one counts again."""
    _refresh(StaffProfile.objects.filter(user=user).values_list("pk", flat=True))


def record_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh([instance.staff_id])


def requirement_before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or not issubclass(sender, Requirement) or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list(
        "job_role_id", "program_id", "site_id"
    )
    instance._readiness_old_scope = old[0] if old else None


def requirement_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or not issubclass(sender, Requirement):
        return
    job_role_id, program_id, site_id = _scope_of(instance)
    ids = _scope_ids(job_role_id=job_role_id, program_id=program_id, site_id=site_id)
    old = getattr(instance, "_readiness_old_scope", None)
    if old is not None and old != _scope_of(instance):
        ids |= _scope_ids(job_role_id=old[0], program_id=old[1], site_id=old[2])
    _refresh(ids)


def _holding(*keys: str) -> None:
    _refresh(services.staff_holding(keys=keys))


def credential_type_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    groups = instance.groups.values_list("pk", flat=True)
    _holding(f"credential:{instance.pk}", *(f"credential-group:{g}" for g in groups))


def credential_group_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _holding(f"credential-group:{instance.pk}")


def credential_group_members_changed(sender, instance, action, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if kwargs.get("reverse"):  # a type's groups changed
        groups = kwargs.get("pk_set") or []
        _holding(*(f"credential-group:{g}" for g in groups))
    else:
        _holding(f"credential-group:{instance.pk}")


def checklist_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _holding(f"skill:{instance.pk}")


def course_published(sender, instance, **kwargs) -> None:
    """A published (or republished) course is required again of everyone its
    requirements reach, besides those who hold it already (a new title)."""
    ids = set(services.staff_holding(keys=[f"course:{instance.pk}"]))
    for model in _models("CourseRequirement"):
        for scope in model.objects.filter(
            course_id=instance.pk, active=True
        ).values_list("job_role_id", "program_id", "site_id"):
            ids |= _scope_ids(
                job_role_id=scope[0], program_id=scope[1], site_id=scope[2]
            )
    _refresh(ids)


def course_unpublished(sender, instance, **kwargs) -> None:
    """An unpublished or expired course is no longer required."""
    _holding(f"course:{instance.pk}")


def job_role_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh(
            StaffProfile.objects.filter(job_role=instance).values_list("pk", flat=True)
        )


def team_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh(
            StaffProfile.objects.filter(team=instance).values_list("pk", flat=True)
        )


def agency_before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("time_zone", flat=True)
    instance._readiness_old_zone = old[0] if old else None


def agency_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A new time zone moves "today" and the local date of every completion:
    everyone is worked out again (by a worker, past the inline limit)."""
    old = getattr(instance, "_readiness_old_zone", None)
    if raw or created or old is None or old == instance.time_zone:
        return
    _refresh(StaffProfile.objects.values_list("pk", flat=True))


def migrated(sender, using="default", **kwargs) -> None:
    """Migrations can change records without signals (a data migration): everyone
    is marked stale, and the next read or the worker recomputes them."""
    from django.db.utils import DatabaseError

    try:
        services.readiness_mark_all_stale()
    except DatabaseError:  # the store's table is not there (migrating backwards)
        pass


def connect() -> None:
    """Wire every receiver (called once from ``ReadinessConfig.ready``)."""
    post_save.connect(staff_saved, sender=StaffProfile, dispatch_uid=f"{UID}-staff")
    pre_delete.connect(
        staff_before_delete, sender=StaffProfile, dispatch_uid=f"{UID}-staff-pre-del"
    )
    post_delete.connect(
        staff_deleted, sender=StaffProfile, dispatch_uid=f"{UID}-staff-del"
    )
    user_access_ended.connect(access_changed, dispatch_uid=f"{UID}-access-ended")
    user_access_restored.connect(access_changed, dispatch_uid=f"{UID}-access-restored")
    post_save.connect(job_role_saved, sender=JobRole, dispatch_uid=f"{UID}-role")
    post_save.connect(team_saved, sender=Team, dispatch_uid=f"{UID}-team")
    pre_save.connect(
        agency_before_save, sender=Agency, dispatch_uid=f"{UID}-pre-agency"
    )
    post_save.connect(agency_saved, sender=Agency, dispatch_uid=f"{UID}-agency")
    for name in PERSON_RECORDS:
        for model in _models(name):
            for signal in (post_save, post_delete):
                signal.connect(
                    record_changed,
                    sender=model,
                    dispatch_uid=f"{UID}-{model._meta.label}-{signal is post_save}",
                )
    for model in apps.get_models():
        if issubclass(model, Requirement):
            pre_save.connect(
                requirement_before_save,
                sender=model,
                dispatch_uid=f"{UID}-pre-{model._meta.label}",
            )
            for signal in (post_save, post_delete):
                signal.connect(
                    requirement_changed,
                    sender=model,
                    dispatch_uid=f"{UID}-{model._meta.label}-{signal is post_save}",
                )
    for model in _models("CredentialType"):
        post_save.connect(
            credential_type_saved, sender=model, dispatch_uid=f"{UID}-ctype"
        )
    for model in _models("CredentialGroup"):
        post_save.connect(
            credential_group_saved, sender=model, dispatch_uid=f"{UID}-group"
        )
        m2m_changed.connect(
            credential_group_members_changed,
            sender=model.members.through,
            dispatch_uid=f"{UID}-group-members",
        )
    for model in _models("SkillChecklist"):
        post_save.connect(checklist_saved, sender=model, dispatch_uid=f"{UID}-skill")
    from wagtail.signals import page_published, page_unpublished

    for model in _models("CoursePage"):
        page_published.connect(
            course_published, sender=model, dispatch_uid=f"{UID}-course"
        )
        page_unpublished.connect(
            course_unpublished, sender=model, dispatch_uid=f"{UID}-course-unpublished"
        )
