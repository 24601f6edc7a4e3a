"""Reads of the skills pages: the checklists to choose from, a person's sign-offs."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import StaffProfile

from .models import SkillChecklist, SkillSignOff


def checklists_for_signoff(*, staff: StaffProfile) -> list[tuple[SkillChecklist, bool]]:
    """Every checklist, the ones the person must have (by job role, program and
    site) first."""
    from portal.requirements import people_for

    from .provider import skill_requirements_of

    required = {
        r.checklist_id
        for r in skill_requirements_of(people=people_for(staff_ids=[staff.pk])).get(
            staff.pk, []
        )
    }
    checklists = list(SkillChecklist.objects.all())
    checklists.sort(key=lambda c: (c.pk not in required, c.name.lower()))
    return [(c, c.pk in required) for c in checklists]


def signoffs_of(*, staff: StaffProfile) -> QuerySet[SkillSignOff]:
    return (
        SkillSignOff.objects.filter(staff=staff)
        .select_related("checklist", "signed_by", "corrects", "corrected_by")
        .prefetch_related("items")
        .order_by("-observed_on", "-created_at")
    )
