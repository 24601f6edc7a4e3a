"""A learner's transcript: every completion, class attended and credential with CE
hours, as a page and a PDF, for the learner, their supervisor and HR only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from classes.services import booking_create, roster_submit
from courses.services import completion_record
from tests.classes.factories import NOON, make_session
from tests.courses.factories import make_course
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import (
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_hr,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

CLASS_DAY = NOON - dt.timedelta(days=1)


@pytest.fixture
def learner():
    """A learner with an online course (1.5 CE hours), a class attended whose pass
    completed a 4-hour course, and a CPR card."""
    team = TeamFactory(name="Cedar House")
    person = StaffProfileFactory(
        team=team, user__first_name="Lee", user__last_name="Learner"
    )
    make_supervisor(team, email="boss@example.org")
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    with time_machine.travel(CLASS_DAY - dt.timedelta(days=10), tick=False):
        online = make_course(title="HIPAA Basics", ce_hours=Decimal("1.5"), lessons=0)
        completion_record(staff=person, course=online.page, score=90)
        practice = make_course(title="CPR practice", ce_hours=Decimal("4.0"))
        session = make_session(
            starts_at=CLASS_DAY,
            credential_type=cpr,
            course=practice.page,
            title="CPR class, Main clinic",
        )
        booking_create(session=session, staff=person, by=person.user)
    with time_machine.travel(NOON, tick=False):
        roster_submit(
            session=session,
            by=session.instructor,
            signature=session.instructor.get_full_name() or "Instructor",
            marks={person.pk: {"present": True, "passed": True, "note": ""}},
        )
    CredentialFactory(
        staff=person,
        credential_type=CredentialTypeFactory(name="RN license", code="rn"),
        issued_on=dt.date(2025, 1, 5),
        expires_on=dt.date(2027, 1, 4),
    )
    return person


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        yield


def test_learner_sees_own_transcript_with_every_record_and_hours(client, learner):
    client.force_login(learner.user)
    page = client.get("/transcript/").content.decode()
    assert "Transcript of Lee Learner" in page
    assert "HIPAA Basics" in page
    assert "CPR class, Main clinic" in page
    assert "RN license" in page
    # 1.5 from the online course, 4.0 from the class's course, counted once.
    assert "<strong>5.5</strong> in all" in page
    assert page.count("CPR practice") == 0  # listed as the class, not twice


def test_transcript_pdf_reads_back(client, learner):
    client.force_login(learner.user)
    response = client.get(f"/staff/{learner.pk}/transcript.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Transcript of Lee Learner" in text
    assert "HIPAA Basics" in text
    assert "CPR class, Main clinic" in text
    assert "RN license" in text
    assert "CE hours: 5.5" in text


def test_supervisor_and_hr_reach_it_from_the_person_page(client, learner):
    for viewer in (
        make_hr(),
        learner.team.supervisors.get(),
    ):
        client.force_login(viewer)
        person = client.get(f"/staff/{learner.pk}/").content.decode()
        assert f"/staff/{learner.pk}/transcript/" in person
        assert "CPR class, Main clinic" in person  # attended, on the person page
        assert client.get(f"/staff/{learner.pk}/transcript/").status_code == 200
        assert client.get(f"/staff/{learner.pk}/transcript.pdf").status_code == 200


def test_others_get_404_never_500(client, learner):
    other_team = TeamFactory(name="Birch House")
    strangers = [
        make_supervisor(other_team),
        StaffProfileFactory(team=learner.team).user,  # a teammate
    ]
    for viewer in strangers:
        client.force_login(viewer)
        assert client.get(f"/staff/{learner.pk}/transcript/").status_code == 404
        assert client.get(f"/staff/{learner.pk}/transcript.pdf").status_code == 404
    client.force_login(UserFactory())  # no staff record
    response = client.get("/transcript/", follow=True)
    assert "You have no staff record" in response.content.decode()
    client.logout()
    assert client.get("/transcript/").status_code == 302
