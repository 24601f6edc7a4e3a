""" "Any one of" requirements: a Behavioral Health Professional holds one of
LCSW, LPC, LMFT, LMHC or an associate license; de-escalation is one of CPI,
Safety-Care, Pro-ACT or the agency's equivalent. And goals with no due date."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from credentials.models import CredentialGroup, ReminderLog
from credentials.reminders import reminder_scan
from credentials.selectors import credential_status_counts, requirement_statuses
from portal.requirements import Status
from portal.rollup import VERDICT_FILTERS, columns_of, readiness_for
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import JobRoleFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
FAR = dt.date(2028, 6, 30)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def bhp(db):
    return JobRoleFactory(name="Behavioral Health Professional", code="bhp")


@pytest.fixture
def licenses(db):
    return {
        code: CredentialTypeFactory(name=f"{code.upper()} license", code=code)
        for code in ("lcsw", "lpc", "lmft", "lmhc")
    }


@pytest.fixture
def clinical(bhp, licenses):
    group = CredentialGroup.objects.create(name="Clinical license")
    group.members.set(licenses.values())
    CredentialRequirementFactory(job_role=bhp, credential_type=None, group=group)
    return group


def test_an_lpc_now_counts_for_a_bhp(clock, bhp, licenses, clinical):
    clinician = StaffProfileFactory(job_role=bhp)
    CredentialFactory(
        staff=clinician,
        credential_type=licenses["lpc"],
        expires_on=dt.date(2028, 2, 28),
    )
    [row] = requirement_statuses(staff_ids=[clinician.pk], as_of=TODAY)
    assert row.status == Status.CURRENT
    assert row.label == "Clinical license"
    assert row.extra["satisfied_by"] == "LPC license"
    assert row.detail.startswith("LPC license: expires Feb 28, 2028")
    assert readiness_for(staff_ids=[clinician.pk], as_of=TODAY)[
        clinician.pk
    ].fully_compliant


def test_the_best_member_counts_when_several_are_on_file(
    clock, bhp, licenses, clinical
):
    clinician = StaffProfileFactory(job_role=bhp)
    CredentialFactory(
        staff=clinician,
        credential_type=licenses["lcsw"],
        expires_on=dt.date(2026, 9, 1),
    )
    CredentialFactory(
        staff=clinician,
        credential_type=licenses["lmft"],
        expires_on=dt.date(2028, 2, 28),
    )
    [row] = requirement_statuses(staff_ids=[clinician.pk], as_of=TODAY)
    assert row.status == Status.CURRENT and row.extra["satisfied_by"] == "LMFT license"


def test_a_group_is_one_matrix_column_and_one_row_on_the_persons_page(
    client, clock, bhp, licenses, clinical, hr
):
    team_people = [StaffProfileFactory(job_role=bhp) for _ in range(3)]
    for person, code in ((team_people[0], "lcsw"), (team_people[1], "lmhc")):
        CredentialFactory(staff=person, credential_type=licenses[code], expires_on=FAR)
    readiness = readiness_for(staff_ids=[p.pk for p in team_people], as_of=TODAY)
    columns = columns_of(list(readiness.values()))
    assert [c.label for c in columns] == ["Clinical license"]
    statuses = [readiness[p.pk].cells[columns[0].key].status for p in team_people]
    assert statuses == [Status.CURRENT, Status.CURRENT, Status.MISSING]

    client.force_login(hr)
    matrix = client.get(reverse("compliance:matrix")).content.decode()
    assert matrix.count("Clinical license") >= 1
    assert 'class="req">Clinical license<br>' in matrix
    assert 'class="req">LCSW license' not in matrix
    assert 'class="req">LMHC license' not in matrix

    client.force_login(team_people[1].user)
    page = client.get(reverse("my_credentials")).content.decode()
    assert page.count("Clinical license") == 1
    assert "met by LMHC license" in page
    client.force_login(team_people[2].user)
    page = client.get(reverse("my_credentials")).content.decode()
    assert "any one of LCSW license, LMFT license, LMHC license, LPC license" in page


def test_de_escalation_is_any_approved_program_not_one_trademark(clock):
    role = JobRoleFactory()
    kinds = [
        CredentialTypeFactory(name=name, code=code)
        for name, code in [
            ("CPI", "cpi"),
            ("Safety-Care", "safety-care"),
            ("Pro-ACT", "pro-act"),
            ("Agency-approved equivalent", "equivalent"),
        ]
    ]
    group = CredentialGroup.objects.create(name="De-escalation certification")
    group.members.set(kinds)
    CredentialRequirementFactory(
        job_role=role, credential_type=None, group=group, before_first_shift=True
    )
    people = [StaffProfileFactory(job_role=role) for _ in kinds]
    for person, kind in zip(people, kinds, strict=True):
        CredentialFactory(staff=person, credential_type=kind)
    readiness = readiness_for(staff_ids=[p.pk for p in people], as_of=TODAY)
    assert all(r.ready_for_floor for r in readiness.values())


def test_hr_counts_a_group_once(clock, bhp, licenses, clinical):
    clinician = StaffProfileFactory(job_role=bhp)
    CredentialFactory(staff=clinician, credential_type=licenses["lcsw"], expires_on=FAR)
    CredentialFactory(staff=clinician, credential_type=licenses["lpc"], expires_on=FAR)
    StaffProfileFactory(job_role=bhp)  # nothing on file
    counts = credential_status_counts(today=TODAY)
    assert counts[Status.CURRENT] == 1 and counts[Status.MISSING] == 1


def test_a_missing_group_is_reminded_once_by_name_until_any_member_is_on_file(
    django_capture_on_commit_callbacks, bhp, licenses, clinical, team, supervisor
):
    hired = dt.date(2026, 6, 1)
    newbie = StaffProfileFactory(job_role=bhp, team=team, hire_date=hired)

    def scan(day):
        noon = dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)
        with (
            time_machine.travel(noon, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return reminder_scan(today=day)

    scan(hired)
    scan(hired)
    mine = [m for m in mail.outbox if m.to == [newbie.user.email]]
    assert len(mine) == 1
    assert "Clinical license" in mine[0].subject
    assert "any one of LCSW license, LMFT license, LMHC license, LPC license" in (
        mine[0].body
    )
    # Filed on the day of the first scan (the factory's dates as written then).
    with time_machine.travel(dt.datetime.combine(hired, dt.time(16), tzinfo=dt.UTC)):
        CredentialFactory(staff=newbie, credential_type=licenses["lmft"])
    mail.outbox.clear()
    scan(hired + dt.timedelta(days=28))
    assert mail.outbox == []
    assert ReminderLog.objects.filter(staff=newbie).count() == 2  # staff, supervisor


def test_a_goal_shows_as_a_goal_and_is_never_late(client, clock):
    """A CADC for Treatment Specialists: something to work toward, no deadline."""
    role = JobRoleFactory(name="Treatment Specialist")
    cadc = CredentialTypeFactory(name="CADC", code="cadc")
    CredentialRequirementFactory(
        job_role=role, credential_type=cadc, due_rule="goal", due_within_days=None
    )
    person = StaffProfileFactory(job_role=role, hire_date=dt.date(2024, 1, 1))
    [row] = requirement_statuses(staff_ids=[person.pk], as_of=TODAY)
    assert row.status == Status.GOAL and row.due_on is None
    assert row.detail == "a goal, no due date"
    readiness = readiness_for(staff_ids=[person.pk], as_of=TODAY)[person.pk]
    assert readiness.fully_compliant and readiness.ready_for_floor
    assert not VERDICT_FILTERS["has_expired"][1](readiness)
    assert reminder_scan(today=TODAY, dry_run=True).rows == []
    client.force_login(person.user)
    page = client.get(reverse("my_credentials")).content.decode()
    assert 'data-status="goal"' in page and "a goal, no due date" in page
    CredentialFactory(staff=person, credential_type=cadc, expires_on=FAR)
    [row] = requirement_statuses(staff_ids=[person.pk], as_of=TODAY)
    assert row.status == Status.CURRENT
