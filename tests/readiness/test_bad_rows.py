"""One bad row stays one bad row: a credential dated at the calendar's ends, or a
person whose readiness cannot be worked out, never fails another person's page,
an unrelated action, or a supervisor of another team."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from classes.selectors import cycle_bounds
from credentials.models import Credential
from credentials.status import credential_status
from portal import requirements
from portal.dates import add_days, add_months
from portal.requirements import RequirementStatus, requirement_due_on, rule
from readiness.models import PersonReadiness
from readiness.services import readiness_flush, readiness_rebuild, readiness_refresh
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory, TeamFactory, make_hr, make_supervisor

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
NOON = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)
ENDS = [dt.date.max, dt.date.min]


@pytest.mark.parametrize("day", ENDS)
def test_the_rules_date_arithmetic_is_total_at_the_calendars_ends(day):
    cell = RequirementStatus(
        staff_id=1,
        key="credential:1",
        label="CPR",
        kind="credential",
        status="current",
        due_on=day,
        expires_on=day,
        status_on=rule(credential_status, "today", expires_on=day),
    )
    cell.changes_on(TODAY)  # no OverflowError
    away = 1 if day == dt.date.max else -1  # past the end: held there
    assert add_days(day, away) == day
    assert add_months(day, 24 * away) == day
    due = requirement_due_on(
        due_rule="within_days",
        due_within_days=30 * away,
        hire_date=day,
        orientation_days=0,
    )
    assert due == day
    start, end = cycle_bounds(ends_on=day, months=24)  # a license's CE cycle
    assert start <= end == day


def with_requirement(staff):
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    return cpr


def plant(staff, ctype, **dates) -> Credential:
    """A credential written straight to the database, past every form and signal
    (an old database, a data fix)."""
    credential = CredentialFactory(staff=staff, credential_type=ctype)
    Credential.objects.filter(pk=credential.pk).update(**dates)
    return credential


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("day", ENDS)
def test_hr_verifies_another_credential_of_a_person_with_a_row_at_the_end_of_time(
    client, day
):
    staff = StaffProfileFactory()
    plant(staff, with_requirement(staff), expires_on=day, issued_on=min(day, TODAY))
    pending = CredentialFactory(staff=staff, verification_status="pending")
    client.force_login(make_hr())
    response = client.post(f"/verification/{pending.pk}/", {"verify": "1"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.verification_status == "verified"
    assert readiness_rebuild() >= 1  # manage.py rebuild_readiness


@pytest.fixture
def failing_person(monkeypatch):
    """A requirement provider that cannot work out one person (as a corrupt row
    of any app would do), plugged in through the registry."""
    broken: set[int] = set()

    def provider(*, staff_ids, as_of):
        if broken & set(staff_ids):
            raise ValueError("a record that cannot be read")
        return []

    monkeypatch.setitem(requirements._providers, "zz-test", provider)
    return broken


@time_machine.travel(NOON, tick=False)
def test_a_person_whose_refresh_fails_is_logged_and_skipped(
    client, failing_person, caplog
):
    team = TeamFactory()
    bad, good = StaffProfileFactory(team=team), StaffProfileFactory(team=team)
    cpr = with_requirement(good)
    failing_person.add(bad.pk)
    CredentialFactory(staff=good, credential_type=cpr)  # the refresh of `good` runs
    readiness_refresh(staff_ids=[bad.pk, good.pk])
    assert PersonReadiness.objects.get(staff=bad).stale
    assert not PersonReadiness.objects.get(staff=good).stale
    assert "could not work out person" in caplog.text

    # HR's action on the bad person stands; the pages of their team answer.
    pending = CredentialFactory(staff=bad, verification_status="pending")
    client.force_login(make_hr())
    assert (
        client.post(f"/verification/{pending.pk}/", {"verify": "1"}).status_code == 302
    )
    assert Credential.objects.get(pk=pending.pk).verification_status == "verified"
    for url in ("/matrix/", "/compliance/", f"/staff/{good.pk}/"):
        assert client.get(url).status_code == 200, url
    client.force_login(make_supervisor(team))
    assert client.get("/").status_code == 200


@time_machine.travel(NOON, tick=False)
def test_a_supervisors_pages_never_refresh_people_of_other_teams(client):
    mine, theirs = TeamFactory(), TeamFactory()
    me = StaffProfileFactory(team=mine)
    other = StaffProfileFactory(team=theirs)
    readiness_flush()  # what the hires' commit does
    PersonReadiness.objects.update(stale=True)
    client.force_login(make_supervisor(mine))
    for url in ("/", "/matrix/", "/matrix/?verdict=not_ready"):
        assert client.get(url).status_code == 200
    assert PersonReadiness.objects.get(staff=other).stale
    assert not PersonReadiness.objects.get(staff=me).stale
