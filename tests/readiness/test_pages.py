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
