"""The HR dashboard and the matrix read the readiness store: the same number of
queries for a small agency and a larger one."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.courses.factories import make_course, require
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import JobRoleFactory, StaffProfileFactory, TeamFactory, make_hr
from tests.skills.factories import SkillRequirementFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def agency():
    """A job role needing a course, a credential and a skill; people are added by
    ``grow(n)``, half of them with a credential expiring soon."""
    with time_machine.travel(NOON, tick=False):
        role = JobRoleFactory()
        course = make_course(title="HIPAA")
        require(course, role, before_first_shift=True)
        cpr = CredentialTypeFactory(name="CPR", warning_days=60)
        CredentialRequirementFactory(job_role=role, credential_type=cpr)
        SkillRequirementFactory(job_role=role)
        teams = [TeamFactory(), TeamFactory()]
        people = []

        def grow(n: int) -> None:
            while len(people) < n:
                person = StaffProfileFactory(
                    job_role=role, team=teams[len(people) % 2], hire_date=TODAY
                )
                if len(people) % 2:
                    CredentialFactory(
                        staff=person,
                        credential_type=cpr,
                        expires_on=TODAY + dt.timedelta(days=len(people)),
                    )
                people.append(person)

        yield grow


def queries(client, url: str, params: dict) -> int:
    client.get(url, params)  # the store is warm, as it is in production
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("compliance:dashboard", {}),
        ("compliance:matrix", {"verdict": "not_ready"}),
        ("compliance:matrix", {}),
    ],
)
def test_query_count_does_not_grow_with_the_agency(client, agency, url, params):
    client.force_login(make_hr())
    counts = []
    with time_machine.travel(NOON, tick=False):
        for size in (5, 30):
            agency(size)
            counts.append(queries(client, reverse(url), params))
    assert counts[0] == counts[1]


def test_the_stored_dashboard_lists_what_the_roll_up_lists_in_its_order(
    agency, monkeypatch
):
    """Renewals soonest first, the overdue list and the new hires read from the
    store: the same rows in the same order as the roll-up of every person gives,
    people by last name (Adams before Zorn although Amy comes before Zed)."""
    from compliance import selectors

    with time_machine.travel(NOON, tick=False):
        agency(40)
        requirement = CredentialRequirementFactory._meta.model.objects.get()
        cpr, role = requirement.credential_type, requirement.job_role
        for first, last, days in (("Amy", "Zorn", 3), ("Zed", "Adams", 9)):
            person = StaffProfileFactory(
                job_role=role,
                hire_date=TODAY - dt.timedelta(days=400),
                user__first_name=first,
                user__last_name=last,
            )
            CredentialFactory(
                staff=person,
                credential_type=cpr,
                expires_on=TODAY - dt.timedelta(days=days),
            )
        stored = selectors.dashboard_data(as_of=TODAY)
        monkeypatch.setattr(selectors, "store_serves", lambda as_of: False)
        live = selectors.dashboard_data(as_of=TODAY)

    def renewals(data):
        return [(r[0], r[1], r[2], r[3].key, r[4]) for r in data["renewal_rows"]]

    def overdue(data):
        return [(r[0], r[1], r[2].key, r[2].status) for r in data["overdue_rows"]]

    assert len(renewals(stored)) == 20
    assert renewals(stored) == renewals(live)
    assert [name for name, *_ in overdue(stored)][:2] == ["Zed Adams", "Amy Zorn"]
    assert overdue(stored) == overdue(live)
    assert stored["overdue_count"] == live["overdue_count"] == len(overdue(live))
    assert len(stored["new_hires"]) == 40
    assert list(stored["new_hires"]) == live["new_hires"]
    assert all("HIPAA" in h["missing"] for h in live["new_hires"])
    assert stored["sites"] == live["sites"] and stored["programs"] == live["programs"]


def test_new_hires_come_in_pages(client, agency):
    client.force_login(make_hr())
    with time_machine.travel(NOON, tick=False):
        agency(20)
        html = client.get(reverse("compliance:dashboard")).content.decode()
        section = html.split('id="newhires-h"')[1].split("</section>")[0]
        assert section.count('<td data-label="Missing">HIPAA') == 15
        assert "Page 1 of 2 (20 in all)" in section
        assert "newhires_page=2#newhires-h" in section
        html = client.get(
            reverse("compliance:dashboard"), {"newhires_page": 2}
        ).content.decode()
    section = html.split('id="newhires-h"')[1].split("</section>")[0]
    assert section.count('<td data-label="Missing">HIPAA') == 5
