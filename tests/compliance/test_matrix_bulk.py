"""From the team matrix a supervisor (their teams) or HR (everyone) checks people
and acts on them at once: email a reminder, assign a course, book a class. Every
id posted is checked again; ids of people who are not theirs are ignored."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from classes.models import Booking
from courses.models import Assignment
from credentials.models import ReminderSent
from tests.classes.factories import make_session
from tests.courses.factories import make_course
from tests.credentials.factories import (
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
BULK = reverse("compliance:matrix_bulk")


@pytest.fixture
def people(team, other_team):
    """Two people on the supervisor's team and one on another team, each missing
    a CPR card (something to be reminded of)."""
    with time_machine.travel(NOON, tick=False):
        mine = [
            StaffProfileFactory(
                team=team, user=UserFactory(first_name=name, last_name="Mine")
            )
            for name in ("Ada", "Bo")
        ]
        theirs = StaffProfileFactory(
            team=other_team, user=UserFactory(first_name="Cy", last_name="Theirs")
        )
        cpr = CredentialTypeFactory(name="CPR", code="cpr")
        for person in (*mine, theirs):
            CredentialRequirementFactory(job_role=person.job_role, credential_type=cpr)
        yield {"mine": mine, "theirs": theirs}


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def _ids(people) -> list[str]:
    return [str(p.pk) for p in (*people["mine"], people["theirs"])]


def _message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_matrix_offers_a_checkbox_per_person_and_the_actions(
    client, supervisor, people, clock
):
    client.force_login(supervisor)
    html = client.get(reverse("compliance:matrix")).content.decode()
    boxes = re.findall(r'name="staff" value="(\d+)" form="bulk-form"', html)
    assert sorted(boxes) == sorted(str(p.pk) for p in people["mine"])
    assert f'action="{BULK}"' in html
    for label in ("Email a reminder", "Assign a course", "Book a class"):
        assert label in html


def test_confirmation_lists_only_the_supervisors_people(
    client, supervisor, people, clock
):
    client.force_login(supervisor)
    page = client.post(BULK, {"staff": _ids(people), "action": "remind"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ada Mine" in html and "Bo Mine" in html
    assert "Cy Theirs" not in html
    assert "1 of the people sent is not on your teams today" in html
    assert "Confirm for 2 people" in html
    assert not ReminderSent.objects.exists()  # nothing is sent before confirming


def test_supervisor_emails_a_reminder_to_their_people_only(
    client, supervisor, people, clock
):
    client.force_login(supervisor)
    response = client.post(
        BULK, {"staff": _ids(people), "action": "remind", "confirm": "1"}
    )
    assert response.status_code == 302
    reminded = set(ReminderSent.objects.values_list("staff_id", flat=True))
    assert reminded == {p.pk for p in people["mine"]}
    text = _message(response)
    assert "Reminder emailed to 2 people." in text
    assert "1 not on your teams today was ignored." in text
    # A second click within the gap sends nothing twice, and says why.
    again = client.post(
        BULK, {"staff": _ids(people), "action": "remind", "confirm": "1"}
    )
    assert ReminderSent.objects.count() == 2
    assert "Reminder emailed to 0 people. 2 left as they were" in _message(again)


def test_hr_assigns_a_course_to_anyone_checked(client, hr, people, clock):
    course = make_course(title="Trauma-informed care")
    client.force_login(hr)
    due = dt.date(2026, 12, 31)
    response = client.post(
        BULK,
        {
            "staff": _ids(people),
            "action": "assign",
            "course": course.page.pk,
            "due_on": due.isoformat(),
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assigned = Assignment.objects.filter(course=course.page)
    assert {a.staff_id for a in assigned} == {int(pk) for pk in _ids(people)}
    assert {a.due_on for a in assigned} == {due}
    assert {a.assigned_by_id for a in assigned} == {hr.pk}
    assert "Assigned “Trauma-informed care” to 3 people." in _message(response)


def test_assigning_without_a_course_or_a_date_asks_for_them(
    client, supervisor, people, clock
):
    client.force_login(supervisor)
    page = client.post(
        BULK,
        {
            "staff": _ids(people),
            "action": "assign",
            "due_on": "2020-01-01",
            "confirm": "1",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Choose the course to assign." in html
    assert "The due date is in the past." in html
    assert not Assignment.objects.exists()


def test_supervisor_books_a_class_for_their_people_only(
    client, hr, supervisor, people, clock
):
    session = make_session(by=hr, capacity=5, title="CPR renewal")
    client.force_login(supervisor)
    response = client.post(
        BULK,
        {
            "staff": _ids(people),
            "action": "book",
            "session": session.pk,
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    booked = set(
        Booking.objects.filter(session=session).values_list("staff_id", flat=True)
    )
    assert booked == {p.pk for p in people["mine"]}
    assert "Booked 2 people into “CPR renewal”." in _message(response)


def test_other_teams_ids_alone_do_nothing(client, other_supervisor, people, clock):
    """The supervisor of the other team posts ids of the first team: refused."""
    client.force_login(other_supervisor)
    ids = [str(p.pk) for p in people["mine"]]
    page = client.post(BULK, {"staff": ids, "action": "remind", "confirm": "1"})
    assert page.status_code == 200
    assert "None of the people sent are on your teams today" in page.content.decode()
    assert not ReminderSent.objects.exists()


def test_a_learner_may_not_act_in_bulk(client, people, clock):
    client.force_login(people["mine"][0].user)
    response = client.post(
        BULK, {"staff": _ids(people), "action": "remind", "confirm": "1"}
    )
    assert response.status_code in (403, 404)
    assert not ReminderSent.objects.exists()


def test_ids_the_database_cannot_hold_are_refused_not_a_server_error(
    client, hr, people, clock
):
    client.force_login(hr)
    huge = str(2**63)
    page = client.post(
        BULK,
        {
            "staff": [huge, "-1", "abc", *_ids(people)],
            "action": "book",
            "session": huge,
            "course": huge,
            "confirm": "1",
        },
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assigning = client.post(
        reverse("courses:assign"), {"course": huge, "staff": huge, "team": huge}
    )
    assert assigning.status_code == 200
