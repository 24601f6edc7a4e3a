"""The suite passes on any date: the factories' dates keep their distance from today
when the suite's clock is moved (--shift-days, as CI does), and stay as written under
a test's own clock."""

import datetime as dt
import time

import pytest
import time_machine
from time_machine import escape_hatch

from portal.dates import agency_today
from tests.credentials.factories import CredentialFactory
from tests.factories import CLOCK_SHIFT_ENV, WRITTEN_ON, StaffProfileFactory

pytestmark = pytest.mark.django_db

HIRED = dt.date(2026, 1, 5)  # StaffProfileFactory's hire date, as written


@pytest.mark.parametrize("days", [-730, -1, 449, 730])
def test_a_moved_clock_keeps_people_hired_and_cards_valid(monkeypatch, days):
    monkeypatch.setenv(CLOCK_SHIFT_ENV, str(days))
    # The real time, also when the suite's own clock is moved (--shift-days).
    real_now = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    moved = dt.datetime.fromtimestamp(real_now, dt.UTC) + dt.timedelta(days=days)
    with time_machine.travel(moved, tick=False):
        today = agency_today()
        staff = StaffProfileFactory()
        card = CredentialFactory(staff=staff)
    if days < 0:
        # Moved back: the dates keep their distance from today.
        assert today - staff.hire_date == WRITTEN_ON - HIRED
        assert card.issued_on < today < card.expires_on
        assert card.expires_on - today == dt.date(2027, 1, 1) - WRITTEN_ON
    else:
        # Moved forward: the dates as written, long past (never in the future).
        assert staff.hire_date == HIRED
        assert card.expires_on == dt.date(2027, 1, 1)
        assert staff.hire_date < today


def test_a_tests_own_clock_sees_the_dates_as_written():
    with time_machine.travel(dt.datetime(2025, 3, 1, 17, tzinfo=dt.UTC), tick=False):
        staff = StaffProfileFactory()
        card = CredentialFactory(staff=staff)
    assert staff.hire_date == HIRED
    assert card.expires_on == dt.date(2027, 1, 1)
