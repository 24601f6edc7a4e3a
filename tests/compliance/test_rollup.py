"""The readiness roll-up: statuses from every provider and the two verdicts."""

import datetime as dt

import pytest

from portal.requirements import Status
from portal.rollup import column_totals, columns_of, readiness_for
from tests.factories import StaffProfileFactory
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
    make_signoff,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("rows", "ready", "compliant"),
    [
        ([], True, True),
        ([("cpr", Status.CURRENT, True)], True, True),
        ([("cpr", Status.EXPIRING, True)], True, True),
        ([("cpr", Status.EXPIRED, True)], False, False),
        ([("cpr", Status.MISSING, True)], False, False),
        ([("cpr", Status.PENDING, True)], False, False),
        # Not yet due (in progress) is its own state, never non-compliance.
        ([("hipaa", Status.DUE, False)], True, True),
        ([("hipaa", Status.OVERDUE, False)], True, False),
        ([("cpr", Status.CURRENT, True), ("hipaa", Status.DUE, False)], True, True),
        (
            [("cpr", Status.OVERDUE, True), ("hipaa", Status.CURRENT, False)],
            False,
            False,
        ),
    ],
)
def test_verdicts_over_a_table_of_cases(fake_requirements, rows, ready, compliant):
    person = StaffProfileFactory()
    for key, status, before in rows:
        fake_requirements.add(person, key, status, before_first_shift=before)
    r = readiness_for(staff_ids=[person.pk], as_of=D(2026, 3, 3))[person.pk]
    assert r.ready_for_floor is ready
    assert r.fully_compliant is compliant


def test_skills_and_other_providers_roll_up_as_of_a_past_date(
    fake_requirements, supervisor, team
):
    person = StaffProfileFactory(team=team)
    hold = SkillChecklistFactory(name="Safe hold", recheck_months=12)
    SkillRequirementFactory(
        job_role=person.job_role, checklist=hold, before_first_shift=True
    )
    make_signoff(
        staff=person, checklist=hold, signed_by=supervisor, observed_on=D(2026, 3, 10)
    )
    fake_requirements.add(
        person,
        "cpr",
        Status.CURRENT,
        kind="credential",
        before_first_shift=True,
        valid=(D(2025, 1, 1), D(2026, 12, 31)),
    )
    fake_requirements.add(person, "hipaa", Status.CURRENT)

    # On 3 March the hold was not yet observed: not ready, not compliant.
    march3 = readiness_for(staff_ids=[person.pk], as_of=D(2026, 3, 3))[person.pk]
    assert march3.cells[f"skill:{hold.pk}"].status == Status.MISSING
    assert not march3.ready_for_floor
    assert not march3.fully_compliant
    # A week later it was; everything is current.
    later = readiness_for(staff_ids=[person.pk], as_of=D(2026, 3, 17))[person.pk]
    assert later.cells[f"skill:{hold.pk}"].status == Status.CURRENT
    assert later.ready_for_floor and later.fully_compliant
    # A year on the recheck has lapsed.
    lapsed = readiness_for(staff_ids=[person.pk], as_of=D(2027, 4, 1))[person.pk]
    assert lapsed.cells[f"skill:{hold.pk}"].status == Status.EXPIRED
    assert not lapsed.ready_for_floor


def test_columns_and_totals(fake_requirements):
    a, b = StaffProfileFactory(), StaffProfileFactory()
    fake_requirements.add(a, "cpr", Status.CURRENT, kind="credential", label="CPR")
    fake_requirements.add(b, "cpr", Status.EXPIRED, kind="credential", label="CPR")
    fake_requirements.add(a, "hipaa", Status.DUE, label="HIPAA")
    rows = list(readiness_for(staff_ids=[a.pk, b.pk], as_of=D(2026, 3, 3)).values())
    columns = columns_of(rows)
    assert [c.label for c in columns] == ["HIPAA", "CPR"]  # courses first
    totals = column_totals(rows, columns)
    assert totals["credential:cpr"] == {
        "required": 2,
        "current": 1,
        "met": 1,
        "expired": 1,
        "lapsed": 1,
    }
    assert totals["course:hipaa"]["required"] == 1
