"""Writes of the skills app: recording an observed skill (a sign-off)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.dates import agency_today
from portal.models import StaffProfile, User
from portal.roles import is_hr

from .models import SkillChecklist, SkillSignOff, SkillSignOffItem

MET = SkillSignOffItem.Result.MET


def _normalise(name: str) -> str:
    return " ".join(name.lower().split())


def signoff_permission_error(*, signer: User, staff: StaffProfile) -> str | None:
    """Why ``signer`` may not sign off ``staff`` (None when they may)."""
    if staff.user_id == signer.pk:
        return "Nobody can sign off their own skills; ask your supervisor."
    if is_hr(signer):
        return None
    if staff.team and staff.team.supervisors.filter(pk=signer.pk).exists():
        return None
    return "You can sign off only the people on the teams you supervise."


def signer_credential_error(
    *, signer: User, checklist: SkillChecklist, on: dt.date
) -> str | None:
    """Why ``signer`` may not sign ``checklist`` for want of the credential it asks
    of its signer (a certified instructor), or None."""
    from credentials.selectors import credential_held

    required = list(checklist.signer_credentials.order_by("name"))
    if not required or credential_held(
        user=signer, credential_types=required, as_of=on
    ):
        return None
    names = " or ".join(t.name for t in required)
    return (
        f"“{checklist.name}” must be signed off by a certified instructor: someone "
        f"holding a current, verified {names} credential on the day observed. You "
        "have none on file; ask an instructor to observe and sign it."
    )


@transaction.atomic
def signoff_create(
    *,
    staff: StaffProfile,
    checklist: SkillChecklist,
    observed_on: dt.date,
    signed_by: User,
    signature_name: str,
    results: list[tuple[str, str]],
    notes: str = "",
    corrects: SkillSignOff | None = None,
) -> SkillSignOff:
    """Record an observed skill: one result per checklist item, signed by name."""
    problem = signoff_permission_error(signer=signed_by, staff=staff)
    if problem:
        raise ValidationError(problem)
    errors: dict[str, list[str]] = {}
    if observed_on > agency_today():
        errors.setdefault("observed_on", []).append(
            "The observation date cannot be in the future."
        )
    instructor = signer_credential_error(
        signer=signed_by, checklist=checklist, on=min(observed_on, agency_today())
    )
    if instructor:
        errors.setdefault("__all__", []).append(instructor)
    expected = _normalise(signed_by.get_full_name() or signed_by.email)
    if _normalise(signature_name) != expected:
        errors.setdefault("signature_name", []).append(
            "Type your full name exactly as it appears on your account "
            f"({signed_by.get_full_name() or signed_by.email}) to sign."
        )
    items = list(
        checklist.items.order_by("sort_order", "pk").values_list("text", flat=True)
    )
    given = [text for text, _ in results]
    if given != items:
        errors.setdefault("__all__", []).append(
            "Give a result for every item of the checklist."
        )
    if any(result not in SkillSignOffItem.Result.values for _, result in results):
        errors.setdefault("__all__", []).append("An item has an unknown result.")
    if corrects is not None:
        corrects = SkillSignOff.objects.select_for_update().get(pk=corrects.pk)
        if corrects.staff_id != staff.pk or corrects.checklist_id != checklist.pk:
            errors.setdefault("__all__", []).append(
                "A correction must be for the same person and checklist."
            )
        elif SkillSignOff.objects.filter(corrects=corrects).exists():
            errors.setdefault("__all__", []).append(
                "This sign-off was already corrected; correct the latest one instead."
            )
    if errors:
        raise ValidationError(errors)
    signoff = SkillSignOff.objects.create(
        staff=staff,
        checklist=checklist,
        observed_on=observed_on,
        signed_by=signed_by,
        signature_name=signature_name.strip(),
        notes=notes.strip(),
        met=all(result == MET for _, result in results),
        corrects=corrects,
    )
    SkillSignOffItem.objects.bulk_create(
        SkillSignOffItem(sign_off=signoff, position=n, text=text, result=result)
        for n, (text, result) in enumerate(results)
    )
    return signoff
