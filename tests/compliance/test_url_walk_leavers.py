"""Every URL walked as leavers: a terminated staff member (the owner of the walk's
records) and a terminated supervisor of their team. Each page, file and feed
answers them exactly as it answers an anonymous visitor, both once the nightly
task has closed their accounts and on the morning before it has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.dates import agency_today
from portal.models import StaffProfile
from portal.services import staff_terminate
from tests.compliance.test_url_walk import body_of, build_url, walked_patterns, world
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

__all__ = ["world"]  # the walk's fixture, reused

# Outside the project's own apps, the doors a leaver would try next.
EXTRA_URLS = ["/cms/", "/django-admin/", "/learn/", "/accounts/2fa/", "/documents/"]


def _answer(response) -> tuple[int, str]:
    body_of(response)
    return response.status_code, response.get("Location", "")


def _walk(client, world) -> dict[str, tuple[int, str]]:
    urls = [build_url(route, name, world) for route, name, _ in walked_patterns()]
    return {url: _answer(client.get(url)) for url in urls + EXTRA_URLS}


def _leavers(world):
    StaffProfileFactory(team=world.owner.team, user=world.supervisor_a)
    return [world.owner.user, world.supervisor_a]


def _differences(world, leavers) -> list[str]:
    anonymous = _walk(Client(), world)
    problems = []
    for user in leavers:
        client = Client()
        client.force_login(user)
        for url, answer in _walk(client, world).items():
            if answer != anonymous[url]:
                problems.append(f"{user.email} {url}: {answer} != {anonymous[url]}")
    return problems


@pytest.mark.slow
def test_terminated_people_are_answered_as_anonymous_visitors(world):
    leavers = _leavers(world)
    for user in leavers:
        staff = StaffProfile.objects.get(user=user)
        staff_terminate(staff=staff, on=agency_today(), reason="Left the agency")
    problems = _differences(world, leavers)
    assert not problems, "\n".join(problems)
    # Their calendar feed is gone for everyone.
    feed = reverse("credential_calendar", args=[world.feed.token])
    assert Client().get(feed).status_code == 404


@pytest.mark.slow
def test_on_the_termination_date_before_the_task_runs_too(world):
    leavers = _leavers(world)
    today = agency_today()
    StaffProfile.objects.filter(user__in=leavers).update(termination_date=today)
    problems = _differences(world, leavers)
    assert not problems, "\n".join(problems)
    # The account itself is closed only by the task, yet the feed answers nothing.
    world.owner.user.refresh_from_db()
    assert world.owner.user.is_active
    feed = reverse("credential_calendar", args=[world.feed.token])
    assert Client().get(feed).status_code == 404


def test_the_day_before_their_date_they_still_get_in(world):
    leavers = _leavers(world)
    tomorrow = agency_today() + dt.timedelta(days=1)
    StaffProfile.objects.filter(user__in=leavers).update(termination_date=tomorrow)
    client = Client()
    client.force_login(world.supervisor_a)
    assert client.get("/").status_code == 200
    assert "Ownerly" in body_of(client.get(f"/staff/{world.owner.pk}/"))
