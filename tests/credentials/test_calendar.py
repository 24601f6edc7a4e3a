"""Issue 15.5: the credentials calendar feed alerts 30 and 7 days before each expiry,
and its event UIDs survive a change of the site's address."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from credentials.models import CalendarFeed
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def feed_url(client, staff):
    CredentialFactory(
        staff=staff,
        credential_type=CredentialTypeFactory(name="CPR / First Aid", code="cpr"),
        expires_on=dt.date(2027, 3, 4),
    )
    CredentialFactory(
        staff=staff,
        credential_type=CredentialTypeFactory(name="CPI", code="cpi"),
        expires_on=dt.date(2027, 6, 30),
        verification_status="pending",
    )
    client.force_login(staff.user)
    client.get(reverse("my_credentials"))
    client.logout()
    token = CalendarFeed.objects.get(user=staff.user).token
    return reverse("credential_calendar", args=[token])


def events(client, url, **headers) -> dict[str, object]:
    response = client.get(url, **headers)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_each_expiry_alerts_30_and_7_days_before(client, feed_url):
    for summary, event in events(client, feed_url).items():
        alarms = event.walk("VALARM")
        assert len(alarms) == 2, summary
        triggers = sorted(a.decoded("trigger") for a in alarms)
        assert triggers == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
        for alarm in alarms:
            assert str(alarm["action"]) == "DISPLAY"
            assert "expires in" in str(alarm["description"])
    cpr = events(client, feed_url)["CPR / First Aid expires"]
    start = cpr.decoded("dtstart")
    # The alerts fall on 2 Feb and 25 Feb 2027 for a card expiring 4 Mar 2027.
    assert {start + a.decoded("trigger") for a in cpr.walk("VALARM")} == {
        dt.date(2027, 2, 2),
        dt.date(2027, 2, 25),
    }


def test_uids_do_not_change_when_the_site_moves(client, feed_url, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    before = {s: str(e["uid"]) for s, e in events(client, feed_url).items()}
    settings.SITE_URL = "https://training.example-agency.org"
    settings.ALLOWED_HOSTS = ["*"]
    after = {
        s: str(e["uid"])
        for s, e in events(
            client, feed_url, HTTP_HOST="training.example-agency.org"
        ).items()
    }
    assert before == after and len(after) == 2
    for uid in after.values():
        assert "127.0.0.1" not in uid and "example-agency" not in uid
        assert uid.endswith("@credentials.milieu.invalid")
    assert len(set(after.values())) == 2
