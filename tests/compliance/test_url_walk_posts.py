"""Every URL pattern POSTed, empty and with junk, as each role: anonymous, a learner
(a colleague of the walk's owner), a supervisor of another team, a leaver and HR.

Nothing answers 500. Nobody but HR changes a record, except on the few pages where
people act for themselves (``SELF_SERVICE``). A page about someone's record (a URL
with parameters) refuses everyone but HR: 403, 404, 405 or the login page. Each
POST runs in a savepoint rolled back after the check, so every one meets the same
world. Reuses the world and helpers of test_url_walk.py.
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client

from portal.dates import agency_today
from portal.services import staff_terminate
from tests.compliance.test_junk_walk import query_names
from tests.compliance.test_url_walk import (
    PROJECT_APPS,
    PUBLIC,
    body_of,
    build_url,
    walked_patterns,
)
from tests.compliance.test_url_walk import world as world  # the fixture
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

# Pages where a learner or a supervisor acts for themselves: a POST from them may
# change their own records (book a seat, complete a lesson, read notifications).
SELF_SERVICE = {
    "calendar_reset",
    "classes:book",
    "courses:lesson_complete",
    "my_credentials",  # opens the person's own calendar feed
    "notifications",
}
# Pages with a parameter that is not a person's record: a class everyone may read.
SHARED_PAGES = {"classes:detail"}
# Rows a request may touch whoever sends it (a heartbeat, the login time).
VOLATILE = {"portal.Heartbeat"}
VOLATILE_FIELDS = {"last_login"}
REFUSED = {403, 404, 405}
JUNK_VALUES = ["abc", "-1", str(2**63), "9999-12-31", "x" * 3000, "é漢字\u202e🙂"]


def junk_data() -> dict[str, str]:
    """A value for every field name a form of the project reads."""
    names = query_names()
    return {name: JUNK_VALUES[i % len(JUNK_VALUES)] for i, name in enumerate(names)}


def _models():
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in (*PROJECT_APPS, "auth"):
            continue
        if model._meta.label in VOLATILE:
            continue
        out.append(model)
    return out


def snapshot() -> dict[str, str]:
    """A digest of every row of the project's tables (as stored)."""
    digests = {}
    with connection.cursor() as cursor:
        for model in _models():
            quote = connection.ops.quote_name
            columns = ", ".join(
                quote(f.column)
                for f in model._meta.local_concrete_fields
                if f.attname not in VOLATILE_FIELDS
            )
            table = quote(model._meta.db_table)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1")
            digests[model._meta.label] = hashlib.sha256(
                repr(cursor.fetchall()).encode()
            ).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/login/"
    )


def _clients(world) -> dict[str, Client]:
    leaver = StaffProfileFactory(team=world.owner.team)
    staff_terminate(staff=leaver, on=agency_today(), reason="Left the agency")
    people = {
        "anonymous": None,
        "learner": world.colleague.user,
        "other supervisor": world.supervisor_b,
        "leaver": leaver.user,
    }
    clients = {}
    for label, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[label] = client
    return clients


@pytest.mark.slow
def test_posts_never_fail_and_change_nothing_for_people_who_may_not_act(world):
    patterns = walked_patterns()
    assert len(patterns) > 15
    problems = []
    junk = junk_data()
    clients = _clients(world)
    before = snapshot()
    for route, name, _callback in patterns:
        url = build_url(route, name, world)
        about_someone = "<" in route
        for label, client in clients.items():
            for data in ({}, junk):
                with transaction.atomic():
                    response = client.post(url, data)
                    body_of(response)
                    after = snapshot()
                    transaction.set_rollback(True)
                status = response.status_code
                what = f"{label} POST {url} ({'junk' if data else 'empty'})"
                if status >= 500:
                    problems.append(f"{what} -> {status}")
                    continue
                if name in SELF_SERVICE and label in ("learner", "other supervisor"):
                    continue  # acting for themselves
                if after != before:
                    problems.append(f"{what} changed {changed(before, after)}")
                if name in PUBLIC or name in SHARED_PAGES:
                    continue
                refused = status in REFUSED or _is_login_redirect(response)
                if label in ("anonymous", "leaver") and not refused:
                    problems.append(f"{what} -> {status}, not refused")
                elif about_someone and not refused:
                    problems.append(f"{what} -> {status}, not refused")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_posts_as_hr_never_fail(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.hr)
    junk = junk_data()
    problems = []
    for route, name, _callback in walked_patterns():
        url = build_url(route, name, world)
        for data in ({}, junk):
            with transaction.atomic():
                response = client.post(url, data)
                body_of(response)
                transaction.set_rollback(True)
            if response.status_code >= 500:
                problems.append(f"HR POST {url} -> {response.status_code}")
    assert not problems, "\n".join(problems)
