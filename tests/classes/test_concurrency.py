"""Two people booking the last seat at the same moment: exactly one gets it.

Runs on PostgreSQL (row locks); SQLite serialises writers anyway, so it is skipped
there."""

import threading

import pytest
from django.db import connection, connections

from classes.models import Booking
from classes.services import booking_create
from tests.classes.factories import make_session
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_threads_booking_the_last_seat_exactly_one_gets_it():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    rounds = 8
    for _ in range(rounds):
        session = make_session(capacity=1)
        people = [StaffProfileFactory(), StaffProfileFactory()]
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def book(person, session=session, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=10)
                booking_create(session=session, staff=person, by=person.user)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=book, args=(p,)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not errors, errors
        statuses = sorted(
            Booking.objects.filter(session=session).values_list("status", flat=True)
        )
        assert statuses == ["booked", "waitlisted"]
