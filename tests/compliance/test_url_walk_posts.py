"""Every URL pattern POSTed, empty and with junk, as each role: anonymous, a learner
(a colleague of the walk's owner), a supervisor of another team, a leaver and HR;
with junk as an instructor and a person in two roles (the owner's colleague who
supervises another team). The roster of a class shared by two teams is POSTed
with real marks for everyone by each of them, and the owner's rows compared.

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
# Pages where these people may act on some of the people (a roster: their own
# team, or the class they teach): they get the page back, but empty or junk
# input changes nothing.
ACTS_ON_SOME = {
    "classes:roster": {"other supervisor", "two roles", "instructor"},
}
# Roles that have their own staff record and act for themselves on SELF_SERVICE.
HAVE_OWN_RECORDS = ("learner", "other supervisor", "instructor", "two roles")
# Roles walked with junk only (junk fills every field; keeps the walk's cost down).
JUNK_ONLY = {"instructor", "two roles"}
# Rows a request may touch whoever sends it (a heartbeat, the login time, the
# version of a kept page, written when a page is first kept: derived, not a record).
VOLATILE = {"portal.Heartbeat", "portal.FragmentVersion"}
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
        "instructor": world.extra["instructor"],
        "two roles": world.extra["dual"],
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
            for data in (junk,) if label in JUNK_ONLY else ({}, junk):
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
                if name in SELF_SERVICE and label in HAVE_OWN_RECORDS:
                    continue  # acting for themselves
                if after != before:
                    problems.append(f"{what} changed {changed(before, after)}")
                if name in PUBLIC or name in SHARED_PAGES:
                    continue
                if label in ACTS_ON_SOME.get(name or "", ()):
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


def person_snapshot(staff_pk: int) -> dict[str, str]:
    """A digest of every row that points at one person's staff record."""
    from portal.models import StaffProfile

    digests = {}
    for model in _models():
        for f in model._meta.local_concrete_fields:
            if f.is_relation and f.related_model is StaffProfile:
                rows = list(
                    model._default_manager.filter(**{f.attname: staff_pk})
                    .order_by("pk")
                    .values()
                )
                digests[f"{model._meta.label}.{f.name}"] = hashlib.sha256(
                    repr(rows).encode()
                ).hexdigest()
    return digests


def test_roster_marks_reach_only_the_people_one_may_mark(world):
    """Everyone booked in a class shared by teams A and B is marked present and
    passed, by each role: only the instructor of record and HR mark the owner
    (team A), and only HR's mark verifies the owner's credential (the instructor
    holds no instructor credential); nobody marks themselves."""
    from credentials.models import Credential

    session = world.extra["roster_session"]
    url = f"/classes/{session.pk}/roster/"
    booked = list(session.bookings.values_list("staff_id", flat=True))
    marks = {"signature": "Walk Signer", "reason": "Walk"}
    for sid in booked:
        marks[f"attended-{sid}"] = "present"
        marks[f"result-{sid}"] = "passed"
    owner, dual_staff = world.owner.pk, world.extra["dual_staff"].pk
    people = {
        "learner": (world.colleague.user, {owner}),
        "other supervisor": (world.supervisor_b, {owner, dual_staff}),
        "two roles": (world.extra["dual"], {owner, dual_staff}),
        "instructor": (world.extra["instructor"], set()),
        "HR": (world.hr, set()),
    }
    before = {sid: person_snapshot(sid) for sid in booked}
    problems = []
    for label, (user, untouched) in people.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        page = body_of(client.get(url))
        if label != "instructor" and label != "HR" and "Ownerly" in page:
            problems.append(f"{label} GET {url} shows the owner")
        with transaction.atomic():
            response = client.post(url, marks)
            status = response.status_code
            if status >= 500:
                problems.append(f"{label} POST {url} -> {status}")
            for sid in untouched:
                moved = changed(before[sid], person_snapshot(sid))
                if moved:
                    problems.append(f"{label} POST {url} changed {sid}: {moved}")
            verified = Credential.objects.filter(
                staff_id=owner,
                credential_type=session.credential_type,
                verification_status=Credential.Verification.VERIFIED,
            ).exists()
            if verified != (label == "HR"):
                problems.append(f"{label} POST {url}: owner's pass verified={verified}")
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)
