"""What the QA pass found: overdue wording, one-phrase details, renewal only where
it makes sense, buttons that look like what they do, and an RFC 5545 feed."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from credentials.models import CalendarFeed
from credentials.selectors import requirement_statuses
from credentials.status import missing_phrase
from portal.requirements import Status
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)  # noon in New York


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def cpr(db):
    return CredentialTypeFactory(name="CPR / First Aid", code="cpr")


def text(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",")


def squeeze(s: str) -> str:
    return re.sub(r"\s+", " ", s)


# --- 1. A missing credential past its due date ------------------------------------


def test_missing_phrase_says_plainly_when_the_date_has_passed():
    due = dt.date(2026, 11, 22)
    assert missing_phrase(today=due, due_on=due) == "due today, Nov 22, 2026"
    assert missing_phrase(today=dt.date(2026, 11, 1), due_on=due) == "due Nov 22, 2026"
    assert (
        missing_phrase(today=dt.date(2026, 11, 23), due_on=due)
        == "was due Nov 22, 2026 (1 day ago)"
    )
    three_days_late = "was due Nov 22, 2026 (3 days ago)"
    assert missing_phrase(today=TODAY, due_on=due) == three_days_late
    assert (
        missing_phrase(today=TODAY, due_on=due, before_first_shift=True)
        == "needed before the first shift"
    )


@pytest.fixture
def overdue(team, cpr):
    """Hired Oct 23, 2026 with 30 days for CPR: due Nov 22, 2026, 3 days ago."""
    staff = StaffProfileFactory(team=team, hire_date=dt.date(2026, 10, 23))
    CredentialRequirementFactory(
        job_role=staff.job_role, credential_type=cpr, due_within_days=30
    )
    return staff


def test_overdue_missing_credential_says_was_due_everywhere(
    client, clock, overdue, supervisor
):
    rows = requirement_statuses(staff_ids=[overdue.pk], as_of=TODAY)
    assert rows[0].status == Status.MISSING
    assert rows[0].detail == "was due Nov 22, 2026 (3 days ago)"

    client.force_login(overdue.user)
    home = text(client.get("/"))
    assert "Missing — was due Nov 22, 2026 (3 days ago)" in home
    assert "— due Nov 22, 2026" not in home
    mine = text(client.get(reverse("my_credentials")))
    assert "was due Nov 22, 2026 (3 days ago)" in mine
    assert " due Nov 22, 2026 Add" not in mine

    client.force_login(supervisor)
    person = text(client.get(reverse("staff_detail", args=[overdue.pk])))
    assert "was due Nov 22, 2026 (3 days ago)" in person


def test_before_first_shift_missing_says_needed_before_the_first_shift(
    client, clock, staff
):
    bls = CredentialTypeFactory(name="Background check", code="bg")
    CredentialRequirementFactory(
        job_role=staff.job_role, credential_type=bls, before_first_shift=True
    )
    rows = requirement_statuses(staff_ids=[staff.pk], as_of=TODAY)
    assert rows[0].detail == "needed before the first shift"
    client.force_login(staff.user)
    assert "Missing — needed before the first shift" in text(client.get("/"))


# --- 2. One short phrase per detail, one date format --------------------------------


def test_provider_details_are_one_phrase_with_one_date_format(clock, staff):
    kinds = {}
    for code, kwargs in {
        "valid": {"expires_on": dt.date(2027, 6, 3)},
        "old": {"expires_on": dt.date(2026, 10, 12)},
        "new": {
            "expires_on": dt.date(2028, 6, 3),
            "verification_status": "pending",
            "created_at": dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC),
        },
        "forever": {"expires_on": None},
    }.items():
        ctype = CredentialTypeFactory(
            name=code, code=code, validity_months=None if code == "forever" else 24
        )
        if code == "forever":
            ctype.has_expiry = False
            ctype.save()
        CredentialRequirementFactory(job_role=staff.job_role, credential_type=ctype)
        CredentialFactory(staff=staff, credential_type=ctype, **kwargs)
        kinds[ctype.name] = code
    details = {
        kinds[r.label]: r.detail
        for r in requirement_statuses(staff_ids=[staff.pk], as_of=TODAY)
    }
    assert details == {
        "valid": "expires Jun 3, 2027",
        "old": "expired Oct 12, 2026",
        "new": "pending verification since Nov 20, 2026",
        "forever": "does not expire",
    }


# --- 3. Renewal only for verified credentials that are expiring or expired --------


def test_a_new_pending_credential_offers_a_document_not_a_renewal(
    client, clock, staff, cpr
):
    cred = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        expires_on=dt.date(2028, 11, 1),
        verification_status="pending",
    )
    client.force_login(staff.user)
    detail = client.get(reverse("credential_detail", args=[cred.pk])).content.decode()
    assert "Upload the renewal" not in detail
    assert "Add another document" in detail
    assert detail.count("Pending verification") == 1
    mine = client.get(reverse("my_credentials")).content.decode()
    assert mine.count("Pending verification") == 1
    assert ">Verification</th>" not in mine


@pytest.mark.parametrize(
    ("status", "expires_on", "offered"),
    [
        ("verified", dt.date(2026, 12, 20), True),  # expiring
        ("verified", dt.date(2026, 11, 1), True),  # expired
        ("verified", dt.date(2028, 11, 1), False),  # current: nothing to renew yet
        ("pending", dt.date(2026, 12, 20), False),  # not verified yet
    ],
)
def test_renewal_is_offered_only_for_verified_expiring_or_expired(
    client, clock, staff, cpr, status, expires_on, offered
):
    cred = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        expires_on=expires_on,
        verification_status=status,
    )
    client.force_login(staff.user)
    page = client.get(reverse("credential_detail", args=[cred.pk])).content.decode()
    assert ("Upload the renewal" in page) is offered


# --- 4. Buttons look like what they do ------------------------------------------


def test_reject_is_a_danger_button_and_new_link_a_secondary_one(client, staff, hr, cpr):
    cred = CredentialFactory(
        staff=staff, credential_type=cpr, verification_status="pending"
    )
    client.force_login(hr)
    review = squeeze(
        client.get(reverse("credential_review", args=[cred.pk])).content.decode()
    )
    assert re.search(r'<button class="btn btn-danger"[^>]*name="reject"', review)
    assert re.search(r'<button class="btn"[^>]*name="verify"', review)
    client.force_login(staff.user)
    mine = squeeze(client.get(reverse("my_credentials")).content.decode())
    assert re.search(
        r'<button class="btn btn-secondary" type="submit">Make a new link', mine
    )


# --- 5. The calendar feed -------------------------------------------------------


def test_calendar_feed_is_valid_ical_with_dtstamp_uid_and_pending_marked(
    client, staff, cpr
):
    bls = CredentialTypeFactory(name="BLS", code="bls")
    verified = CredentialFactory(
        staff=staff, credential_type=cpr, expires_on=dt.date(2027, 3, 4)
    )
    pending = CredentialFactory(
        staff=staff,
        credential_type=bls,
        expires_on=dt.date(2028, 1, 31),
        verification_status="pending",
    )
    client.force_login(staff.user)
    client.get(reverse("my_credentials"))
    client.logout()
    url = reverse(
        "credential_calendar", args=[CalendarFeed.objects.get(user=staff.user).token]
    )

    def events():
        cal = Calendar.from_ical(client.get(url).content)
        return {str(e["uid"]): e for e in cal.walk("VEVENT")}

    first, second = events(), events()
    assert set(first) == set(second) and len(first) == 2  # stable UIDs
    by_summary = {str(e["summary"]): e for e in first.values()}
    assert set(by_summary) == {
        "CPR / First Aid expires",
        "BLS expires (pending verification)",
    }
    for event in first.values():
        stamp = event["dtstamp"].dt
        assert isinstance(stamp, dt.datetime) and stamp.utcoffset() == dt.timedelta(0)
    uids = {str(e["summary"]): uid for uid, e in first.items()}
    assert str(verified.pk) in uids["CPR / First Aid expires"]
    assert str(pending.pk) in uids["BLS expires (pending verification)"]
    assert by_summary["CPR / First Aid expires"]["dtstart"].dt == dt.date(2027, 3, 4)
    assert "renew" in str(by_summary["CPR / First Aid expires"]["description"])
