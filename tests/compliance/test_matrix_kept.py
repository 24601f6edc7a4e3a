"""A matrix page is kept between visits (portal.fragments) and drawn afresh as
soon as anything in it changes: a record of one of its people, their name or
team, the agency's setup, or the day."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.services import credential_verify
from portal.dates import agency_today
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import JobRoleFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC)


@pytest.fixture
def world(client, team, supervisor, hr):
    with time_machine.travel(NOON, tick=False) as clock:
        role = JobRoleFactory(name="Treatment Technician")
        cpr = CredentialTypeFactory(name="CPR")
        CredentialRequirementFactory(job_role=role, credential_type=cpr)
        pat = StaffProfileFactory(
            team=team,
            job_role=role,
            user=UserFactory(first_name="Pat", last_name="Pending"),
        )
        card = CredentialFactory(
            staff=pat,
            credential_type=cpr,
            verification_status="pending",
            expires_on=agency_today() + dt.timedelta(days=100),
        )
        client.force_login(supervisor)
        yield {
            "client": client,
            "pat": pat,
            "card": card,
            "hr": hr,
            "team": team,
            "clock": clock,
        }


def row_of(body: str, name: str) -> str:
    match = re.search(
        rf"<tr[^>]*>\s*<th scope=\"row\">(?:(?!</th>).)*<a [^>]*>{name}</a>.*?</tr>",
        body,
        re.S,
    )
    assert match, f"no row for {name}"
    return match.group(0)


def matrix(client) -> str:
    return client.get("/matrix/").content.decode()


def test_a_kept_page_is_read_not_drawn(world):
    client = world["client"]
    with CaptureQueriesContext(connection) as drawn:
        first = matrix(client)
    with CaptureQueriesContext(connection) as kept:
        again = matrix(client)
    assert row_of(again, "Pat Pending") == row_of(first, "Pat Pending")
    assert len(kept) < len(drawn)
    assert not any(
        "readiness_requirementstate" in q["sql"] for q in kept.captured_queries
    )


def test_a_verified_card_shows_at_once(world):
    client = world["client"]
    assert "Pending" in row_of(matrix(client), "Pat Pending")
    credential_verify(credential=world["card"], by=world["hr"], notify=False)
    row = row_of(matrix(client), "Pat Pending")
    assert "Expiring" in row or "Current" in row
    assert "Pending verification" not in row


def test_a_new_name_and_a_renamed_team_show_at_once(world):
    client, pat, team = world["client"], world["pat"], world["team"]
    matrix(client)
    pat.user.last_name = "Prompt"
    pat.user.save()
    assert "Pat Prompt" in matrix(client)
    team.name = "Night shift"
    team.save()
    assert "Night shift" in row_of(matrix(client), "Pat Prompt")


def test_the_turn_of_the_day_redraws_the_page(world):
    client, card = world["client"], world["card"]
    credential_verify(credential=card, by=world["hr"], notify=False)
    assert "Expiring" not in row_of(matrix(client), "Pat Pending")
    # Within the type's warning days (90) of its expiry, the card is "expiring".
    world["clock"].move_to(NOON + dt.timedelta(days=11))
    assert "Expiring" in row_of(matrix(client), "Pat Pending")
