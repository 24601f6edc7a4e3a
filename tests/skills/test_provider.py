"""The "skill" provider: a checklist's status from its latest sign-off, as of a
date, for many people in constant queries."""

import datetime as dt

import pytest

from portal.requirements import Status
from portal.rollup import readiness_for
from skills.provider import skill_status
from tests.factories import StaffProfileFactory
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
    make_signoff,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("observed_on", "met", "months", "as_of", "expected"),
    [
        (None, False, 12, D(2026, 3, 3), Status.MISSING),
        (D(2026, 1, 1), False, 12, D(2026, 3, 3), Status.MISSING),
        (D(2026, 1, 1), True, None, D(2030, 1, 1), Status.CURRENT),
        (D(2026, 1, 1), True, 12, D(2026, 3, 3), Status.CURRENT),
        (D(2026, 1, 1), True, 12, D(2026, 12, 1), Status.CURRENT),
        (D(2026, 1, 1), True, 12, D(2026, 12, 2), Status.EXPIRING),
        (D(2026, 1, 1), True, 12, D(2027, 1, 1), Status.EXPIRING),
        (D(2026, 1, 1), True, 12, D(2027, 1, 2), Status.EXPIRED),
        (D(2026, 1, 31), True, 1, D(2026, 2, 28), Status.EXPIRING),
    ],
)
def test_skill_status_from_dates(observed_on, met, months, as_of, expected):
    status, _ = skill_status(
        observed_on=observed_on, met=met, recheck_months=months, as_of=as_of
    )
    assert status == expected


def test_a_needs_practice_sign_off_after_a_met_one_is_not_met(supervisor, team):
    person = StaffProfileFactory(team=team)
    vitals = SkillChecklistFactory()
    SkillRequirementFactory(job_role=person.job_role, checklist=vitals)
    make_signoff(
        staff=person, checklist=vitals, signed_by=supervisor, observed_on=D(2026, 1, 5)
    )
    make_signoff(
        staff=person,
        checklist=vitals,
        signed_by=supervisor,
        observed_on=D(2026, 2, 5),
        met=False,
    )
    assert (
        readiness_for(staff_ids=[person.pk], as_of=D(2026, 1, 20))[person.pk]
        .cells[f"skill:{vitals.pk}"]
        .status
        == Status.CURRENT
    )
    assert (
        readiness_for(staff_ids=[person.pk], as_of=D(2026, 2, 20))[person.pk]
        .cells[f"skill:{vitals.pk}"]
        .status
        == Status.MISSING
    )


def test_skill_provider_uses_constant_queries(
    django_assert_max_num_queries, supervisor, team
):
    checklist = SkillChecklistFactory()
    people = StaffProfileFactory.create_batch(30, team=team)
    for p in people:
        SkillRequirementFactory(job_role=p.job_role, checklist=checklist)
        make_signoff(staff=p, checklist=checklist, signed_by=supervisor)
    from skills.provider import skill_provider

    with django_assert_max_num_queries(3):
        rows = list(
            skill_provider(staff_ids=[p.pk for p in people], as_of=D(2026, 3, 3))
        )
    assert len(rows) == 30
