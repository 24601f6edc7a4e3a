"""A trainer's side of a class: who is booked before it starts, a roster that
starts blank (with "Mark all present" as a deliberate button), seat figures that
stay right after sign-off, "My upcoming sessions" and the printable sign-in sheet."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils.formats import date_format

from classes.models import Booking, Roster
from classes.selectors import seats_taken, sessions_with_seats
from classes.services import roster_submit
from credentials.models import Credential
from portal.dates import agency_time_zone
from portal.roles import Role
from tests.classes.factories import NOON, make_taught_class
from tests.factories import (
    UserFactory,
    make_hr,
)

pytestmark = pytest.mark.django_db

BOOKING_DAY = NOON - dt.timedelta(days=10)  # 21 Nov 2026
BEFORE_CLASS = NOON - dt.timedelta(days=3)  # 28 Nov 2026: booking still open
DURING_CLASS = NOON + dt.timedelta(hours=1)  # the class runs from noon to 4 PM


@pytest.fixture
def cpr_class():
    """Trina's CPR class on 1 Dec at noon, booked on 21 Nov (``make_taught_class``)."""
    with time_machine.travel(BOOKING_DAY, tick=False):
        return make_taught_class()


def _text(response) -> str:
    return response.content.decode()


def _detail(client, user, session) -> str:
    client.force_login(user)
    response = client.get(f"/classes/{session.pk}/")
    assert response.status_code == 200
    return _text(response)


# --- Item 3: the trainer sees who is booked -------------------------------------


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_the_instructor_sees_everyone_booked_with_their_team_before_the_class(
    client, cpr_class
):
    page = _detail(client, cpr_class["trainer"], cpr_class["session"])
    assert "Nobody has booked yet" not in page
    assert "Who is booked" in page
    for name in ("Alma Avila", "Bert Baker", "Cleo Cruz", "Dana Diaz"):
        assert name in page
    assert "Cedar House" in page and "Birch House" in page
    assert "8 in all, 4 taken, 4 free" in page


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_a_supervisor_sees_only_their_own_people_and_a_colleague_nobody(
    client, cpr_class
):
    page = _detail(client, cpr_class["sam"], cpr_class["session"])
    assert "Alma Avila" in page and "Cleo Cruz" in page
    assert "Bert Baker" not in page and "Dana Diaz" not in page
    page = _detail(client, cpr_class["Alma"].user, cpr_class["session"])
    assert "Bert Baker" not in page and "Cleo Cruz" not in page
    assert "You hold a seat" in page


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_another_trainer_is_told_how_many_are_booked_not_who(client, cpr_class):
    other = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    page = _detail(client, other, cpr_class["session"])
    assert "Nobody has booked yet" not in page
    assert "4 of 8 seats are taken. The instructor and HR see who is booked." in page
    assert "Alma Avila" not in page


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_hr_sees_everyone_booked(client, cpr_class):
    page = _detail(client, make_hr(), cpr_class["session"])
    for name in ("Alma Avila", "Bert Baker", "Cleo Cruz", "Dana Diaz"):
        assert name in page


# --- Item 4: the roster starts blank ---------------------------------------------


def _roster(client, session, data=None):
    url = f"/classes/{session.pk}/roster/"
    return client.post(url, data) if data is not None else client.get(url)


def _checked(page: str, name: str) -> str | None:
    """The value of the checked radio button ``name``, if any."""
    match = re.search(rf'name="{name}" value="(\w+)" checked', page)
    return match.group(1) if match else None


@time_machine.travel(DURING_CLASS, tick=False)
def test_the_roster_starts_blank_and_signing_unmarked_saves_nothing(client, cpr_class):
    session = cpr_class["session"]
    client.force_login(cpr_class["trainer"])
    page = _text(_roster(client, session))
    for person in ("Alma", "Bert", "Cleo", "Dana"):
        sid = cpr_class[person].pk
        assert _checked(page, f"attended-{sid}") is None
        assert _checked(page, f"result-{sid}") is None

    response = _roster(client, session, {"signature": "Trina Trainer"})
    assert response.status_code == 200
    page = _text(response)
    assert (
        "Mark each person present or absent before signing. Not marked: "
        "Alma Avila, Bert Baker, Cleo Cruz, Dana Diaz." in page
    )
    assert 'value="Trina Trainer"' in page  # the signature is kept
    assert not Roster.objects.exists()
    assert not Credential.objects.exists()


@time_machine.travel(DURING_CLASS, tick=False)
def test_mark_all_present_fills_the_marks_and_signing_needs_each_result(
    client, cpr_class
):
    session = cpr_class["session"]
    alma, bert, cleo, dana = (cpr_class[p] for p in ("Alma", "Bert", "Cleo", "Dana"))
    client.force_login(cpr_class["trainer"])
    # Bert is marked absent first; "Mark all present" fills only the others.
    response = _roster(
        client,
        session,
        {f"attended-{bert.pk}": "absent", "fill": "present", "signature": "Trina"},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "3 people not yet marked are now marked present" in page
    assert _checked(page, f"attended-{bert.pk}") == "absent"
    for person in (alma, cleo, dana):
        assert _checked(page, f"attended-{person.pk}") == "present"
        assert _checked(page, f"result-{person.pk}") is None
    assert "This field is required" not in page  # filling checks nothing
    assert not Roster.objects.exists()

    # Present people still need a result: only Cleo's is missing.
    marks = {f"attended-{p.pk}": "present" for p in (alma, cleo, dana)}
    marks |= {
        f"attended-{bert.pk}": "absent",
        f"result-{alma.pk}": "passed",
        f"result-{dana.pk}": "failed",
        "signature": "Trina Trainer",
    }
    page = _text(_roster(client, session, marks))
    assert (
        "Mark each person present as passed or did not pass. Not marked: Cleo Cruz."
        in page
    )
    assert not Roster.objects.exists()

    marks[f"result-{cleo.pk}"] = "passed"
    response = _roster(client, session, marks)
    assert response.status_code == 302
    renewed = set(Credential.objects.values_list("staff_id", flat=True))
    assert renewed == {alma.pk, cleo.pk}


@time_machine.travel(DURING_CLASS, tick=False)
def test_mark_everyone_present_as_passed_is_a_second_deliberate_step(client, cpr_class):
    session = cpr_class["session"]
    client.force_login(cpr_class["trainer"])
    marks = {f"attended-{cpr_class[p].pk}": "present" for p in ("Alma", "Bert")}
    marks |= {f"attended-{cpr_class[p].pk}": "absent" for p in ("Cleo", "Dana")}
    page = _text(_roster(client, session, {**marks, "fill": "passed"}))
    assert "2 people marked present are now marked passed" in page
    assert _checked(page, f"result-{cpr_class['Alma'].pk}") == "passed"
    assert _checked(page, f"result-{cpr_class['Cleo'].pk}") is None
    assert not Roster.objects.exists()


# --- Item 5: seats after sign-off ------------------------------------------------


def _sign(cpr_class, *, absent=()):
    marks = {
        cpr_class[p].pk: {"present": p not in absent, "passed": p not in absent}
        for p in ("Alma", "Bert", "Cleo", "Dana")
    }
    with time_machine.travel(DURING_CLASS, tick=False):
        roster_submit(
            session=cpr_class["session"],
            by=cpr_class["trainer"],
            signature="Trina Trainer",
            marks=marks,
        )


def test_seat_figures_count_attended_people_after_sign_off(client, cpr_class):
    session = cpr_class["session"]
    _sign(cpr_class, absent=("Dana",))
    assert set(session.bookings.values_list("status", flat=True)) == {
        Booking.Status.ATTENDED,
        Booking.Status.ABSENT,
    }
    assert seats_taken(session=session) == 4
    assert sessions_with_seats().get(pk=session.pk).seats_taken == 4
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        page = _detail(client, cpr_class["trainer"], session)
        assert "8 in all, 4 taken, 4 free" in page
        assert "3 attended, 1 absent" in page
        listing = _text(client.get("/classes/?when=past"))
    assert "4 of 8 taken" in listing


# --- A trainer's home ----------------------------------------------------------


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_the_trainers_home_lists_my_upcoming_sessions_with_seats(client, cpr_class):
    session = cpr_class["session"]
    client.force_login(cpr_class["trainer"])
    home = _text(client.get("/"))
    assert "My upcoming sessions" in home
    assert "CPR / First Aid renewal" in home
    assert "4 of 8 taken" in home
    assert f'href="/classes/{session.pk}/#people-h"' in home
    assert f'href="/classes/{session.pk}/sign-in-sheet.pdf"' in home
    teaching = _text(client.get("/classes/teaching/"))
    assert "CPR / First Aid renewal" in teaching and "4 of 8 taken" in teaching
    assert 'href="/classes/teaching/"' in _text(client.get("/classes/"))
    # Someone who teaches nothing gets no such panel.
    client.force_login(cpr_class["Alma"].user)
    assert "My upcoming sessions" not in _text(client.get("/"))
    assert "not the instructor of any upcoming class" in _text(
        client.get("/classes/teaching/")
    )


@time_machine.travel(DURING_CLASS, tick=False)
def test_once_the_class_has_started_the_home_links_to_its_roster(client, cpr_class):
    session = cpr_class["session"]
    client.force_login(cpr_class["trainer"])
    home = _text(client.get("/"))
    assert f'href="/classes/{session.pk}/roster/"' in home
    _sign(cpr_class)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert "My upcoming sessions" not in _text(client.get("/"))


# --- The sign-in sheet ---------------------------------------------------------


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_the_sign_in_sheet_lists_everyone_booked_with_a_line_to_sign(client, cpr_class):
    from pypdf import PdfReader

    session = cpr_class["session"]
    client.force_login(cpr_class["trainer"])
    response = client.get(f"/classes/{session.pk}/sign-in-sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    start = NOON.astimezone(agency_time_zone())
    assert "Sign-in sheet: CPR / First Aid renewal" in text
    assert date_format(start.date(), "DATE_FORMAT") in text
    assert "Main clinic, room 2" in text
    assert "Trina Trainer" in text
    assert "Signature" in text
    for name in ("Alma Avila", "Bert Baker", "Cleo Cruz", "Dana Diaz"):
        assert name in text
    assert text.index("Alma Avila") < text.index("Dana Diaz")  # by last name


@time_machine.travel(BEFORE_CLASS, tick=False)
def test_only_the_instructor_and_hr_print_the_sign_in_sheet(client, cpr_class):
    url = f"/classes/{cpr_class['session'].pk}/sign-in-sheet.pdf"
    for user in (cpr_class["sam"], cpr_class["Alma"].user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(make_hr())
    assert client.get(url).status_code == 200


# --- The post-class evaluation ---------------------------------------------------


def test_people_who_attended_evaluate_once_and_the_instructor_reads_the_results(
    client, cpr_class
):
    session = cpr_class["session"]
    _sign(cpr_class, absent=("Dana",))
    url = f"/classes/{session.pk}/evaluation/"
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        client.force_login(cpr_class["Alma"].user)
        assert "Evaluate this class" in _text(client.get(f"/classes/{session.pk}/"))
        response = client.post(url, {"overall": "9", "comment": "More practice"})
        assert response.status_code == 200
        page = _text(response)
        assert "Select a valid choice" in page and "This field is required" in page
        response = client.post(
            url, {"overall": "5", "instructor_clear": "4", "comment": "More practice"}
        )
        assert response.status_code == 302
        assert "You have evaluated this class" in _text(client.get(url))
        client.post(url, {"overall": "1", "instructor_clear": "1"})
        client.force_login(cpr_class["Bert"].user)
        client.post(url, {"overall": "3", "instructor_clear": "2"})
        # Dana was absent: no evaluation for her.
        client.force_login(cpr_class["Dana"].user)
        assert client.get(url).status_code == 404
        assert client.get(f"/classes/{session.pk}/evaluations/").status_code == 404
        client.force_login(cpr_class["trainer"])
        results = _text(client.get(f"/classes/{session.pk}/evaluations/"))
    assert "2 of 3 people who attended answered" in results
    assert "4.0 out of 5" in results  # useful: (5 + 3) / 2
    assert "3.0 out of 5" in results  # clear: (4 + 2) / 2
    assert "More practice" in results
    assert "Alma Avila" not in results and "Bert Baker" not in results
