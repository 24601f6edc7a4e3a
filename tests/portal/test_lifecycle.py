"""One lifecycle for a person: active, deactivated (with a reason, reversible) and
terminated. Each list, count and picker reads it the same way."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client

from classes.selectors import staff_for_booking
from compliance.selectors import dashboard_data
from portal import services
from portal.models import Invitation, StaffProfile
from tests.factories import (
    PASSWORD,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_hr,
)

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=NY), tick=False):
        yield


@pytest.fixture
def hr_client(hr) -> Client:
    client = Client()
    client.force_login(hr)
    return client


@pytest.fixture
def hr():
    return make_hr(email="hr@example.org")


@pytest.fixture
def people(hr):
    team = TeamFactory(name="Cedar House")
    staying = StaffProfileFactory(team=team, user__first_name="Stay")
    going = StaffProfileFactory(
        team=team,
        user__first_name="Dana",
        user__last_name="Deactivated",
        user__password="",
    )
    services.user_deactivate(user=going.user, by=hr, reason="Extended absence")
    going.refresh_from_db()
    return staying, going


def test_deactivated_person_shows_deactivated_with_reason(hr_client, people):
    _, going = people
    page = hr_client.get(f"/staff/{going.pk}/").content.decode()
    assert "Deactivated" in page
    assert "Extended absence" in page
    listing = hr_client.get("/staff/").content.decode()
    row = listing[listing.index(going.full_name) :]
    assert ">Deactivated<" in row[: row.index("</tr>")]


def test_deactivated_person_counts_nowhere_and_is_offered_for_nothing(hr, people):
    staying, going = people
    assert set(StaffProfile.objects.current()) == {staying}
    assert set(StaffProfile.objects.current(as_of=TODAY)) == {staying}
    assert set(StaffProfile.objects.active()) == {staying}
    assert not going.is_current and not going.is_current_on(TODAY)
    assert dashboard_data(as_of=TODAY)["people"] == 1
    assert going not in staff_for_booking(user=hr)


def test_reactivated_person_counts_again(hr, people):
    _, going = people
    services.user_reactivate(user=going.user, by=hr, reason="Back from leave")
    going.refresh_from_db()
    assert going.lifecycle == "active"
    assert dashboard_data(as_of=TODAY)["people"] == 2
    assert going in staff_for_booking(user=hr)


def test_reinvite_of_deactivated_person_is_refused_with_reason(hr_client, people):
    _, going = people
    before = Invitation.objects.filter(user=going.user).count()
    page = hr_client.post(f"/staff/{going.pk}/reinvite/", follow=True)
    assert page.status_code == 200
    assert "is deactivated, so no invitation was sent" in page.content.decode()
    assert Invitation.objects.filter(user=going.user).count() == before
    # The page does not offer it either.
    assert "Send a new invitation" not in page.content.decode()


def test_reinvite_of_terminated_person_is_refused(hr_client, hr):
    leaver = StaffProfileFactory(user__password="")
    services.staff_terminate(staff=leaver, on=TODAY, by=hr)
    page = hr_client.post(f"/staff/{leaver.pk}/reinvite/", follow=True)
    assert "is terminated, so no invitation was sent" in page.content.decode()
    assert not Invitation.objects.filter(user=leaver.user).exists()
    assert "Reactivate account" not in page.content.decode()


def test_hr_reactivates_from_the_person_page_and_it_is_logged(hr_client, people):
    _, going = people
    response = hr_client.post(
        f"/staff/{going.pk}/access/",
        {"action": "reactivate", "reason": "Back from leave"},
        follow=True,
    )
    page = response.content.decode()
    assert "reactivated; they can log in again" in page
    assert "Account reactivated by" in page and "Back from leave" in page
    going.user.refresh_from_db()
    assert going.user.is_active


def test_reactivated_person_can_sign_in(people, hr):
    _, going = people
    going.user.set_password(PASSWORD)
    going.user.save()
    services.user_reactivate(user=going.user, by=hr, reason="Back")
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": going.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_assign_picker_leaves_out_deactivated(hr_client, people):
    staying, going = people
    page = hr_client.get("/training/assign/").content.decode()
    assert staying.full_name in page
    assert going.full_name not in page


def test_other_user_cannot_reactivate(people):
    _, going = people
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        f"/staff/{going.pk}/access/", {"action": "reactivate", "reason": "x"}
    )
    assert response.status_code in (403, 404)
    going.user.refresh_from_db()
    assert not going.user.is_active
