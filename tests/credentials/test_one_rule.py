"""One rule for "a credential that counts": a returned renewal leaves exactly one
live record, and every page and the reminders agree on it."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from credentials.models import Credential, ReminderLog
from credentials.reminders import reminder_scan
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
    pdf_upload,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end)]


def statuses(html: str) -> set[str]:
    """The status badges shown ("pending_verification" is a pending badge)."""
    found = re.findall(r'data-status="([a-z_]+)"', html)
    return {s.removesuffix("_verification") for s in found}


def upload(client, ctype, number: str) -> Credential:
    response = client.post(
        reverse("credential_add"),
        {
            "credential_type": ctype.pk,
            "number": number,
            "issuing_body": "American Heart Association",
            "issued_on": "2026-11-20",
            "expires_on": "2028-11-20",
            "documents": [pdf_upload(f"{number}.pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Credential.objects.get(number=number)


def test_a_returned_renewal_leaves_one_live_card_and_one_status_everywhere(
    client, clock, team, supervisor, hr, django_capture_on_commit_callbacks
):
    person = StaffProfileFactory(team=team, hire_date=dt.date(2021, 9, 14))
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr", has_number=True)
    CredentialRequirementFactory(job_role=person.job_role, credential_type=cpr)
    # CPR A: verified, expiring in 20 days.
    card_a = CredentialFactory(
        staff=person,
        credential_type=cpr,
        number="CPR-A",
        issued_on=dt.date(2024, 12, 15),
        expires_on=TODAY + dt.timedelta(days=20),
    )

    # The person uploads B, then C while B is pending; HR returns B.
    client.force_login(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        card_b = upload(client, cpr, "CPR-B")
        card_c = upload(client, cpr, "CPR-C")
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("credential_review", args=[card_b.pk]),
            {"reject": "1", "reason": "The scan is blurred."},
        )
    assert response.status_code == 302

    # One live CPR card: the newest one not returned.
    live = Credential.objects.live().filter(staff=person, credential_type=cpr)
    assert list(live) == [card_c]

    # My credentials lists one card on file, pending, and nothing to resubmit
    # (a newer card answered the returned one).
    client.force_login(person.user)
    mine = client.get(reverse("my_credentials")).content.decode()
    on_file = section(mine, 'id="live-h"', 'id="hist-h"')
    assert "CPR-C" in on_file
    assert "CPR-A" not in on_file and "CPR-B" not in on_file
    assert "Correct and resubmit" not in mine
    required = section(mine, 'id="req-h"', 'id="live-h"')
    assert statuses(required) == {"pending"}

    # The person page and the matrix cell say the same.
    client.force_login(supervisor)
    person_page = client.get(f"/staff/{person.pk}/").content.decode()
    assert "pending" in statuses(person_page)
    assert not statuses(person_page) & {"expiring", "current"}
    matrix = client.get("/matrix/").content.decode()
    assert "pending" in statuses(matrix)
    assert not statuses(matrix) & {"expiring", "current"}

    # The reminders stop about A: a renewal is on file.
    with django_capture_on_commit_callbacks(execute=True):
        reminder_scan(today=TODAY)
    assert not ReminderLog.objects.filter(credential=card_a).exists()


def test_returning_the_newest_renewal_brings_the_older_card_back(
    client, clock, team, hr, django_capture_on_commit_callbacks
):
    person = StaffProfileFactory(team=team)
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr", has_number=True)
    card_a = CredentialFactory(staff=person, credential_type=cpr, number="CPR-A")
    client.force_login(person.user)
    card_b = upload(client, cpr, "CPR-B")
    card_c = upload(client, cpr, "CPR-C")
    client.force_login(hr)
    for card in (card_c, card_b):
        client.post(
            reverse("credential_review", args=[card.pk]),
            {"reject": "1", "reason": "Blurred."},
        )
    assert list(Credential.objects.live().filter(staff=person)) == [card_a]
