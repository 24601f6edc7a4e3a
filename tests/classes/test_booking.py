"""Booking a class: seats, the waitlist, cancelling, and the emails people get."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from classes.models import Booking
from classes.services import (
    booking_cancel,
    booking_create,
    reminders_queue,
    session_cancel,
    session_update,
)
from tests.classes.factories import NOON, make_session
from tests.factories import StaffProfileFactory, TeamFactory, make_supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def ics_of(message) -> str:
    for _name, content, mimetype in message.attachments:
        if mimetype == "text/calendar":
            return content.decode() if isinstance(content, bytes) else content
    return ""


def test_booking_gives_a_seat_and_an_invitation(
    clock, django_capture_on_commit_callbacks
):
    session = make_session(capacity=2)
    person = StaffProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(session=session, staff=person, by=person.user)
    assert booking.status == Booking.Status.BOOKED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.user.email]
    booked = "You are booked: CPR / First Aid renewal on Tue, Dec 15, 2026"
    assert booked in message.subject
    ics = ics_of(message)
    assert "METHOD:REQUEST" in ics
    assert "DTSTART:20261215T170000Z" in ics
    assert "Main clinic" in ics
    assert "ORGANIZER" in ics and f"mailto:{person.user.email}" in ics


def test_a_full_class_puts_people_on_the_waitlist_and_a_freed_seat_goes_to_the_first(
    clock, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    first, second, third = (StaffProfileFactory() for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        seat = booking_create(session=session, staff=first, by=first.user)
        wait1 = booking_create(session=session, staff=second, by=second.user)
        wait2 = booking_create(session=session, staff=third, by=third.user)
    assert [wait1.status, wait2.status] == ["waitlisted", "waitlisted"]
    assert "waitlist" in mail.outbox[1].subject
    assert not ics_of(mail.outbox[1])  # no seat, no invitation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=seat, by=first.user)
    wait1.refresh_from_db()
    wait2.refresh_from_db()
    assert wait1.status == "booked" and wait2.status == "waitlisted"
    assert [m.to for m in mail.outbox] == [[second.user.email]]
    assert mail.outbox[0].subject.startswith("[Milieu] A seat is yours")
    assert "METHOD:REQUEST" in ics_of(mail.outbox[0])


def test_more_capacity_seats_the_waitlist(clock, django_capture_on_commit_callbacks):
    session = make_session(capacity=1)
    a, b = StaffProfileFactory(), StaffProfileFactory()
    booking_create(session=session, staff=a, by=a.user)
    waiting = booking_create(session=session, staff=b, by=b.user)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, by=session.created_by, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == "booked"
    with pytest.raises(ValidationError, match="cannot be lower"):
        session_update(session=session, by=session.created_by, capacity=1)


def test_cancelling_is_refused_after_the_deadline(django_capture_on_commit_callbacks):
    with time_machine.travel(NOON, tick=False):
        session = make_session(starts_at=NOON + dt.timedelta(days=2))
        person = StaffProfileFactory()
        booking = booking_create(session=session, staff=person, by=person.user)
    with time_machine.travel(NOON + dt.timedelta(days=1, hours=1), tick=False):
        with pytest.raises(ValidationError, match="deadline has passed"):
            booking_cancel(booking=booking, by=person.user)
        with pytest.raises(ValidationError, match="closed"):
            booking_create(session=session, staff=StaffProfileFactory(), by=person.user)


def test_booking_twice_is_refused(clock):
    session = make_session()
    person = StaffProfileFactory()
    booking_create(session=session, staff=person, by=person.user)
    with pytest.raises(ValidationError, match="already booked"):
        booking_create(session=session, staff=person, by=person.user)


def test_hr_cancelling_a_class_tells_everyone_booked(
    clock, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    a, b = StaffProfileFactory(), StaffProfileFactory()
    booking_create(session=session, staff=a, by=a.user)
    booking_create(session=session, staff=b, by=b.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = session_cancel(
            session=session, by=session.created_by, reason="Instructor is ill"
        )
    assert told == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert all("Cancelled:" in m.subject for m in mail.outbox)
    assert "Instructor is ill" in mail.outbox[0].body
    assert "METHOD:CANCEL" in ics_of(mail.outbox[0])
    assert not Booking.objects.filter(status__in=Booking.ACTIVE).exists()


def test_day_before_reminder_goes_once(django_capture_on_commit_callbacks):
    with time_machine.travel(NOON, tick=False):
        session = make_session(
            starts_at=NOON + dt.timedelta(days=1, hours=-3),
            deadline_before=dt.timedelta(hours=2),
        )
        person = StaffProfileFactory()
        booking_create(session=session, staff=person, by=person.user)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_queue() == 1
            assert reminders_queue() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Milieu] Tomorrow: CPR / First Aid renewal"
    assert "METHOD:REQUEST" in ics_of(mail.outbox[0])


def test_supervisor_books_own_team_only_through_the_page(client, clock):
    team, other = TeamFactory(), TeamFactory()
    supervisor = make_supervisor(team)
    mine, theirs = StaffProfileFactory(team=team), StaffProfileFactory(team=other)
    session = make_session()
    client.force_login(supervisor)
    response = client.post(f"/classes/{session.pk}/book/", {"staff": theirs.pk})
    assert response.status_code == 302
    assert not Booking.objects.filter(staff=theirs).exists()
    client.post(f"/classes/{session.pk}/book/", {"staff": mine.pk})
    assert Booking.objects.get(staff=mine).booked_by == supervisor


def test_staff_cannot_book_someone_else(client, clock):
    me, other = StaffProfileFactory(), StaffProfileFactory()
    session = make_session()
    client.force_login(me.user)
    response = client.post(f"/classes/{session.pk}/book/", {"staff": other.pk})
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_booked_class_is_on_the_calendar_feed(client, clock):
    from credentials.models import CalendarFeed

    person = StaffProfileFactory()
    session = make_session()
    booking_create(session=session, staff=person, by=person.user)
    feed = CalendarFeed.objects.create(user=person.user)
    body = client.get(f"/credentials/calendar/{feed.token}.ics").content.decode()
    assert f"UID:class-{session.pk}@" in body
    assert "SUMMARY:CPR / First Aid renewal" in body
