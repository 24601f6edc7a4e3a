"""Check-in by QR code: the instructor's class page shows a code for a signed,
expiring link; a booked learner who opens it on their phone is checked in and
the roster starts them as present, still marked and signed by the instructor."""

import datetime as dt
import re

import pytest
import time_machine

from classes.checkin import checkin_token
from classes.models import Booking, Roster
from classes.services import roster_submit
from tests.classes.factories import NOON, make_session, make_taught_class
from tests.factories import StaffProfileFactory, make_hr

pytestmark = pytest.mark.django_db

BOOKING_DAY = NOON - dt.timedelta(days=10)
DURING_CLASS = NOON + dt.timedelta(minutes=5)


@pytest.fixture
def cpr_class():
    with time_machine.travel(BOOKING_DAY, tick=False):
        return make_taught_class()


def _qr_link(client, session) -> str:
    """The check-in path on the instructor's class page (the QR code's text is
    the same link; the page gives it as an SVG drawn on the server)."""
    from classes.checkin import checkin_url

    body = client.get(f"/classes/{session.pk}/").content.decode()
    assert 'aria-label="QR code to check in to' in body and "<svg" in body
    return checkin_url(session=session).split("://", 1)[1].split("/", 1)[1]


def _checked(page: str, name: str) -> str | None:
    match = re.search(rf'name="{name}" value="(\w+)" checked', page)
    return match.group(1) if match else None


def test_booked_learner_checks_in_and_the_roster_starts_them_present(client, cpr_class):
    session, alma = cpr_class["session"], cpr_class["Alma"]
    with time_machine.travel(DURING_CLASS, tick=False):
        client.force_login(cpr_class["trainer"])
        path = "/" + _qr_link(client, session)
        client.force_login(alma.user)
        page = client.get(path)
        assert page.status_code == 200
        assert "You are checked in" in page.content.decode()
        # Twice is harmless: one check-in.
        assert client.get(path).status_code == 200
        booking = Booking.objects.get(session=session, staff=alma)
        assert booking.checked_in_at is not None

        client.force_login(cpr_class["trainer"])
        roster = client.get(f"/classes/{session.pk}/roster/").content.decode()
        assert _checked(roster, f"attended-{alma.pk}") == "present"
        assert "Checked in on their phone" in roster
        # Nobody else is pre-marked, and nothing is recorded until signed.
        assert _checked(roster, f"attended-{cpr_class['Bert'].pk}") is None
        assert not Roster.objects.exists()


def test_the_code_is_only_on_the_instructors_and_hrs_page(client, cpr_class):
    session = cpr_class["session"]
    with time_machine.travel(DURING_CLASS, tick=False):
        for user, shown in (
            (cpr_class["trainer"], True),
            (make_hr(), True),
            (cpr_class["sam"], False),  # a supervisor: only their own people
            (cpr_class["Alma"].user, False),
        ):
            client.force_login(user)
            body = client.get(f"/classes/{session.pk}/").content.decode()
            assert ("QR code to check in" in body) is shown, user


def test_no_code_long_before_the_class(client, cpr_class):
    with time_machine.travel(BOOKING_DAY, tick=False):
        client.force_login(cpr_class["trainer"])
        body = client.get(f"/classes/{cpr_class['session'].pk}/").content.decode()
    assert "QR code to check in" not in body


def test_someone_not_booked_is_told_so(client, cpr_class):
    stranger = StaffProfileFactory()
    with time_machine.travel(DURING_CLASS, tick=False):
        token = checkin_token(session=cpr_class["session"])
        client.force_login(stranger.user)
        page = client.get(f"/classes/check-in/{token}/")
    assert page.status_code == 400
    assert "You do not have a seat in this class" in page.content.decode()


def test_a_code_for_another_class_does_not_check_in_here(client, cpr_class):
    """The code names its class: Alma scanning another class's code is refused
    and stays unchecked in her own."""
    with time_machine.travel(BOOKING_DAY, tick=False):
        other = make_session(starts_at=NOON, title="Safety-Care")
    with time_machine.travel(DURING_CLASS, tick=False):
        token = checkin_token(session=other)
        client.force_login(cpr_class["Alma"].user)
        page = client.get(f"/classes/check-in/{token}/")
    assert page.status_code == 400
    assert "You do not have a seat in this class" in page.content.decode()
    assert not Booking.objects.filter(checked_in_at__isnull=False).exists()


def test_an_expired_or_forged_code_is_refused_clearly(client, cpr_class):
    session = cpr_class["session"]
    client.force_login(cpr_class["Alma"].user)
    with time_machine.travel(NOON - dt.timedelta(hours=5), tick=False):
        token = checkin_token(session=session)
    with time_machine.travel(DURING_CLASS, tick=False):
        page = client.get(f"/classes/check-in/{token}/")
        assert page.status_code == 400
        assert "This check-in code has expired" in page.content.decode()
        forged = f"{session.pk}:abc:def"
        page = client.get(f"/classes/check-in/{forged}/")
        assert page.status_code == 400
        assert "not a valid check-in code" in page.content.decode()
        assert client.get("/classes/check-in/%00%ff/").status_code in (400, 404)
    assert not Booking.objects.filter(checked_in_at__isnull=False).exists()


def test_check_in_closes_once_the_roster_is_signed(client, cpr_class):
    session = cpr_class["session"]
    with time_machine.travel(DURING_CLASS, tick=False):
        token = checkin_token(session=session)
        roster_submit(
            session=session,
            by=cpr_class["trainer"],
            signature="Trina Trainer",
            marks={
                cpr_class[p].pk: {"present": True, "passed": True}
                for p in ("Alma", "Bert", "Cleo", "Dana")
            },
        )
        client.force_login(cpr_class["Alma"].user)
        page = client.get(f"/classes/check-in/{token}/")
    assert page.status_code == 400
    assert "already signed the attendance" in page.content.decode()


def test_signed_out_visitor_is_sent_to_log_in(client, cpr_class):
    with time_machine.travel(DURING_CLASS, tick=False):
        token = checkin_token(session=cpr_class["session"])
        page = client.get(f"/classes/check-in/{token}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
