"""The status rule: boundaries, leap days, no-expiry types, the agency's time zone,
and the database expression agreeing with the pure function."""

import datetime as dt

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from credentials.models import Credential
from credentials.status import credential_status, reminder_step, status_of
from portal.dates import agency_today
from portal.requirements import Status
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import AgencyFactory

EXP = dt.date(2026, 6, 15)


def st_(today, **kw):
    return credential_status(today=today, expires_on=EXP, **kw)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (EXP - dt.timedelta(days=91), Status.CURRENT),
        (EXP - dt.timedelta(days=90), Status.EXPIRING),  # first reminder step
        (EXP - dt.timedelta(days=89), Status.EXPIRING),
        (EXP - dt.timedelta(days=1), Status.EXPIRING),
        (EXP, Status.EXPIRING),  # valid through its expiry date
        (EXP + dt.timedelta(days=1), Status.EXPIRED),
        (EXP + dt.timedelta(days=400), Status.EXPIRED),
    ],
)
def test_status_around_expiry_and_first_step(today, expected):
    assert st_(today) == expected


def test_pending_is_pending_until_it_expires():
    assert st_(EXP - dt.timedelta(days=200), verification_status="pending") == (
        Status.PENDING
    )
    assert st_(EXP, verification_status="pending") == Status.PENDING
    assert st_(EXP + dt.timedelta(days=1), verification_status="pending") == (
        Status.EXPIRED
    )


def test_rejected_counts_as_missing():
    assert st_(EXP - dt.timedelta(days=200), verification_status="rejected") == (
        Status.MISSING
    )


def test_types_without_expiry_are_current_for_ever():
    for today in (dt.date(1990, 1, 1), dt.date(2100, 12, 31)):
        assert (
            credential_status(today=today, expires_on=None, has_expiry=False)
            == Status.CURRENT
        )
        assert (
            credential_status(today=today, expires_on=EXP, has_expiry=False)
            == Status.CURRENT
        )


def test_missing_when_nothing_on_file():
    assert status_of(None, today=EXP) == Status.MISSING


def test_leap_day_expiry():
    leap = dt.date(2028, 2, 29)
    assert credential_status(today=dt.date(2028, 2, 29), expires_on=leap) == (
        Status.EXPIRING
    )
    assert credential_status(today=dt.date(2028, 3, 1), expires_on=leap) == (
        Status.EXPIRED
    )
    # 90 days before 29 Feb 2028 is 1 Dec 2027.
    assert credential_status(today=dt.date(2027, 11, 30), expires_on=leap) == (
        Status.CURRENT
    )
    assert credential_status(today=dt.date(2027, 12, 1), expires_on=leap) == (
        Status.EXPIRING
    )


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (91, None),
        (90, 90),
        (61, 90),
        (60, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 0),
        (-1, 0),
        (-6, 0),
        (-7, -7),
        (-13, -7),
        (-14, -14),
        (-50, -49),
    ],
)
def test_reminder_step_each_boundary(days_left, step):
    today = EXP - dt.timedelta(days=days_left)
    assert reminder_step(today=today, due_on=EXP, steps=[90, 60, 30, 7, 0]) == step


def test_reminder_step_without_weekly():
    today = EXP + dt.timedelta(days=30)
    assert (
        reminder_step(today=today, due_on=EXP, steps=[30, 0], weekly_when_expired=False)
        == 0
    )


@pytest.mark.django_db
def test_today_is_the_agency_date_not_utc():
    AgencyFactory(time_zone="America/Los_Angeles")
    # 03:00 UTC on 16 June is still 15 June in Los Angeles: expiring, not expired.
    with time_machine.travel(dt.datetime(2026, 6, 16, 3, 0, tzinfo=dt.UTC), tick=False):
        today = agency_today()
        assert today == EXP
        assert credential_status(today=today, expires_on=EXP) == Status.EXPIRING
    with time_machine.travel(dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC), tick=False):
        assert credential_status(today=agency_today(), expires_on=EXP) == (
            Status.EXPIRED
        )


@given(
    offset=st.integers(min_value=-800, max_value=800),
    warning=st.integers(min_value=0, max_value=400),
    verification=st.sampled_from(["pending", "verified", "rejected"]),
)
def test_status_properties(offset, warning, verification):
    today = EXP + dt.timedelta(days=offset)
    got = credential_status(
        today=today,
        expires_on=EXP,
        verification_status=verification,
        warning_days=warning,
    )
    if verification == "rejected":
        assert got == Status.MISSING
    elif offset > 0:
        assert got == Status.EXPIRED
    elif verification == "pending":
        assert got == Status.PENDING
    elif -offset <= warning:
        assert got == Status.EXPIRING
    else:
        assert got == Status.CURRENT


@given(
    days_left=st.integers(min_value=-400, max_value=400),
    steps=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=6),
)
def test_reminder_step_is_the_most_urgent_reached(days_left, steps):
    today = EXP - dt.timedelta(days=days_left)
    got = reminder_step(today=today, due_on=EXP, steps=steps)
    if days_left <= -7:
        assert got == -7 * ((-days_left) // 7)
    elif got is None:
        assert all(s < days_left for s in steps)
    else:
        assert got >= days_left
        assert not [s for s in steps if days_left <= s < got]


def assert_database_agrees(creds, today):
    """``with_status`` gives each credential the status ``status_of`` gives it."""
    got = dict(
        Credential.objects.filter(pk__in=[c.pk for c in creds])
        .with_status(today)
        .values_list("pk", "status")
    )
    for cred in creds:
        cred.refresh_from_db()
        assert got[cred.pk] == status_of(cred, today=today), cred.expires_on


@pytest.mark.slow
@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(
        st.integers(min_value=-200, max_value=200), min_size=1, max_size=8
    ),
    today_offset=st.integers(min_value=-10, max_value=10),
)
def test_database_expression_agrees_with_the_function(offsets, today_offset):
    ctype = CredentialTypeFactory(code="db-agree", reminder_days="60, 30, 0")
    no_expiry = CredentialTypeFactory(code="db-never", has_expiry=False)
    today = EXP + dt.timedelta(days=today_offset)
    creds = []
    for i, off in enumerate(offsets):
        creds.append(
            CredentialFactory(
                credential_type=no_expiry if i % 5 == 4 else ctype,
                expires_on=EXP + dt.timedelta(days=off),
                issued_on=None,
                verification_status=["verified", "pending", "rejected"][i % 3],
            )
        )
    assert_database_agrees(creds, today)


@pytest.mark.django_db
@pytest.mark.parametrize("verification", ["verified", "pending", "rejected"])
def test_database_status_agrees_with_the_function_on_every_boundary(verification):
    """The day before, on and after expiry, and on either side of the first
    reminder step: the queryset and the pure function give the same status."""
    ctype = CredentialTypeFactory(code="db-bounds", reminder_days="60, 30, 0")
    today = dt.date(2026, 6, 15)
    offsets = [-8, -7, -1, 0, 1, 59, 60, 61, 400]
    creds = [
        CredentialFactory(
            credential_type=ctype,
            expires_on=today + dt.timedelta(days=off),
            issued_on=None,
            verification_status=verification,
        )
        for off in offsets
    ]
    assert_database_agrees(creds, today)
