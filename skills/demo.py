"""Demo skill checklists, the job roles that require them, and sign-offs by the
demo supervisors (a few needing practice, a few past their recheck). Idempotent and
additive: only the demo's own people are signed off, never with a future date."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from credentials.models import CredentialType
from portal.demo import demo_staff
from portal.models import JobRole, User

from .models import (
    SkillChecklist,
    SkillChecklistItem,
    SkillRequirement,
    SkillSignOff,
    SkillSignOffItem,
)

CHECKLISTS = [
    (
        "Physical intervention — safe hold demonstrated",
        "Observed during a drill or practice session with a trainer.",
        12,
        [
            "Uses verbal de-escalation before any hold",
            "Positions self safely, avoiding the head, neck and chest",
            "Performs the approved hold with a partner",
            "Monitors the client's breathing and color throughout",
            "Releases as soon as the client is safe and documents the hold",
        ],
    ),
    (
        "Vital signs",
        "Blood pressure, pulse, respiration, temperature, oxygen saturation.",
        12,
        [
            "Explains the procedure and obtains consent",
            "Chooses the right cuff size and positions the arm",
            "Measures pulse and respiration for the full interval",
            "Reads temperature and oxygen saturation correctly",
            "Records the values and escalates abnormal readings",
        ],
    ),
    (
        "Urine drug screen collection with chain of custody",
        "Observed collection following the agency's procedure.",
        24,
        [
            "Verifies the client's identity and explains the procedure",
            "Secures the collection area (bluing agent, water off)",
            "Checks temperature within four minutes",
            "Seals and labels the specimen in the client's presence",
            "Completes the chain-of-custody form without gaps",
        ],
    ),
    (
        "Medication administration and MAR entry",
        "Observed medication pass with MAR documentation.",
        12,
        [
            "Checks the six rights against the MAR",
            "Observes the client take the medication",
            "Documents on the MAR immediately after",
            "Records and reports refusals or errors",
        ],
    ),
]

REQUIRED = {
    "treatment-technician": [0, 1, 2, 3],
    "therapeutic-support-specialist": [0],
    "specialized-tss": [0],
    "treatment-specialist": [2],
}
BEFORE_FIRST_SHIFT = {0}
# Physical-intervention sign-offs are made by a certified instructor.
SIGNED_BY_INSTRUCTORS = {CHECKLISTS[0][0]}
INSTRUCTOR_TYPES = ["cpi-instructor", "safety-care-trainer"]
SUPERVISORS = {
    "Cedar House": "supervisor1@demo.milieu.local",
    "Maple House": "supervisor1@demo.milieu.local",
    "Outpatient Team": "supervisor2@demo.milieu.local",
    "School Partners": "supervisor2@demo.milieu.local",
}


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    checklists = []
    for name, description, months, texts in CHECKLISTS:
        checklist, created = SkillChecklist.objects.get_or_create(
            name=name, defaults={"description": description, "recheck_months": months}
        )
        if created:
            for n, text in enumerate(texts):
                SkillChecklistItem.objects.create(
                    checklist=checklist, text=text, sort_order=n
                )
        if created and name in SIGNED_BY_INSTRUCTORS:
            checklist.signer_credentials.set(
                CredentialType.objects.filter(code__in=INSTRUCTOR_TYPES)
            )
        checklists.append(checklist)
    for code, indexes in REQUIRED.items():
        role = JobRole.objects.filter(code=code).first()
        if role is None:
            continue
        for i in indexes:
            SkillRequirement.objects.get_or_create(
                job_role=role,
                program=None,
                site=None,
                checklist=checklists[i],
                defaults={
                    "due_rule": SkillRequirement.DueRule.BEFORE_FIRST_SHIFT
                    if i in BEFORE_FIRST_SHIFT
                    else SkillRequirement.DueRule.WITHIN_DAYS
                },
            )
    signers = {
        e: User.objects.filter(email=e).first() for e in set(SUPERVISORS.values())
    }
    made = 0
    people = (
        demo_staff()
        .select_related("user", "team", "job_role")
        .filter(team__name__in=SUPERVISORS, job_role__code__in=REQUIRED)
        .exclude(user__email__startswith="newhire@")
        .order_by("employee_id")
    )
    for staff in people:
        signer = signers.get(SUPERVISORS[staff.team.name])
        if signer is None or signer.pk == staff.user_id:
            continue
        for i in REQUIRED[staff.job_role.code]:
            checklist = checklists[i]
            if SkillSignOff.objects.filter(staff=staff, checklist=checklist).exists():
                continue
            # Seeded per person and checklist, so a second run decides the same.
            rng = random.Random(f"{staff.employee_id}:{checklist.name}")
            roll = rng.random()
            if roll < 0.15:
                continue  # not observed yet: missing
            if roll < 0.25:
                observed = today - dt.timedelta(
                    days=rng.randint(400, 700)
                )  # past recheck
            else:
                observed = today - dt.timedelta(days=rng.randint(5, 300))
            observed = min(max(observed, staff.hire_date), today)
            needs_practice = rng.random() < 0.1
            items = list(checklist.items.order_by("sort_order"))
            results = [
                ("needs_practice" if needs_practice and n == len(items) - 1 else "met")
                for n in range(len(items))
            ]
            signoff = SkillSignOff.objects.create(
                staff=staff,
                checklist=checklist,
                observed_on=observed,
                signed_by=signer,
                signature_name=signer.get_full_name(),
                notes="Needs another practice round." if needs_practice else "",
                met=not needs_practice,
            )
            SkillSignOffItem.objects.bulk_create(
                SkillSignOffItem(
                    sign_off=signoff, position=n, text=item.text, result=result
                )
                for n, (item, result) in enumerate(zip(items, results, strict=True))
            )
            made += 1
    if stdout is not None:
        stdout.write(
            f"Compliance: {len(checklists)} skill checklists, {made} new sign-offs."
        )
