"""Factories for classes."""

import datetime as dt

from django.utils import timezone

from classes.services import session_create
from tests.credentials.factories import CredentialTypeFactory
from tests.factories import make_hr

# Dec 1, 2026 at noon in New York (the test agency's zone).
NOON = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)


def make_session(
    *,
    starts_at: dt.datetime | None = None,
    hours: int = 4,
    capacity: int = 2,
    credential_type=None,
    course=None,
    instructor=None,
    by=None,
    title: str = "CPR / First Aid renewal",
    deadline_before: dt.timedelta = dt.timedelta(days=1),
):
    by = by or make_hr()
    # Two weeks from now (the tests that need a date freeze the clock).
    starts_at = starts_at or timezone.now().replace(microsecond=0) + dt.timedelta(
        days=14
    )
    if credential_type is None and course is None:
        credential_type = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    return session_create(
        by=by,
        title=title,
        course=course,
        credential_type=credential_type,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        location="Main clinic, room 2",
        instructor=instructor or by,
        capacity=capacity,
        booking_deadline=starts_at - deadline_before,
        notes="",
    )


def make_taught_class() -> dict:
    """Trina (a trainer) teaches CPR on 1 Dec 2026 at noon: 8 seats, 4 taken by
    Alma and Cleo (Cedar House, supervised by Sam) and Bert and Dana (Birch
    House). Call it before the booking deadline (30 Nov, noon)."""
    from classes.services import booking_create
    from portal.roles import Role
    from tests.factories import (
        StaffProfileFactory,
        TeamFactory,
        UserFactory,
        make_supervisor,
    )

    cedar = TeamFactory(name="Cedar House")
    birch = TeamFactory(name="Birch House")
    sam = make_supervisor(cedar, first_name="Sam", last_name="Cedarsuper")
    trainer = UserFactory(
        first_name="Trina", last_name="Trainer", roles=[Role.STAFF, Role.AUTHOR]
    )
    StaffProfileFactory(user=trainer, team=TeamFactory(name="Training"))
    session = make_session(
        starts_at=NOON,
        capacity=8,
        instructor=trainer,
        credential_type=CredentialTypeFactory(name="CPR / First Aid", code="cpr"),
        title="CPR / First Aid renewal",
    )
    people = {}
    for first, last, team in (
        ("Alma", "Avila", cedar),
        ("Bert", "Baker", birch),
        ("Cleo", "Cruz", cedar),
        ("Dana", "Diaz", birch),
    ):
        person = StaffProfileFactory(
            team=team, user=UserFactory(first_name=first, last_name=last)
        )
        booking_create(session=session, staff=person, by=person.user)
        people[first] = person
    return {"session": session, "trainer": trainer, "sam": sam, **people}
