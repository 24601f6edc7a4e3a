"""Attendance becomes the record: a signed roster creates completions and renewed
credentials, and never changes afterwards."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from classes.models import Booking, Roster, RosterEntry
from classes.services import booking_create, roster_submit
from courses.models import Completion
from credentials.models import Credential
from tests.classes.factories import NOON, make_session
from tests.courses.factories import make_course
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CLASS_DAY = NOON - dt.timedelta(days=1)  # 30 Nov 2026, noon New York


@pytest.fixture
def cpr():
    return CredentialTypeFactory(
        name="CPR / First Aid", code="cpr", validity_months=24, has_number=True
    )


@pytest.fixture
def booked_class(cpr):
    """A class yesterday with two people booked; one held an expiring CPR card. The
    instructor holds a current CPR-instructor card, so their passes are verified."""
    instructor = UserFactory(first_name="Ines", last_name="Instructor")
    qualification = CredentialTypeFactory(name="CPR Instructor", code="cpr-instructor")
    cpr.instructor_credentials.add(qualification)
    CredentialFactory(
        staff=StaffProfileFactory(user=instructor),
        credential_type=qualification,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2028, 1, 4),
    )
    with time_machine.travel(CLASS_DAY - dt.timedelta(days=10), tick=False):
        course = make_course(title="CPR practice", ce_hours=None)
        session = make_session(
            starts_at=CLASS_DAY,
            credential_type=cpr,
            course=course.page,
            instructor=instructor,
        )
        passer, failer = StaffProfileFactory(), StaffProfileFactory()
        old = CredentialFactory(
            staff=passer,
            credential_type=cpr,
            verification_status="verified",
            issued_on=dt.date(2024, 12, 20),
            expires_on=dt.date(2026, 12, 19),
        )
        for person in (passer, failer):
            booking_create(session=session, staff=person, by=person.user)
    return session, passer, failer, old


def test_signed_roster_creates_completion_and_renewed_credential(booked_class, cpr):
    session, passer, failer, old = booked_class
    with time_machine.travel(NOON, tick=False):
        roster = roster_submit(
            session=session,
            by=session.instructor,
            signature="Ines Instructor",
            marks={
                passer.pk: {"present": True, "passed": True, "note": ""},
                failer.pk: {
                    "present": True,
                    "passed": False,
                    "note": "Retry compressions",
                },
            },
        )
    entries = {e.staff_id: e for e in roster.entries.all()}
    assert entries[failer.pk].credential is None
    assert entries[failer.pk].completion is None
    new = entries[passer.pk].credential
    assert new.verification_status == "verified"
    assert new.issued_on == dt.date(2026, 11, 30)
    assert new.expires_on == dt.date(2028, 11, 29)
    assert "Verified by attendance" in new.primary_source_note
    assert "Ines Instructor" in new.primary_source_note
    old.refresh_from_db()
    assert old.superseded_by == new
    completion = entries[passer.pk].completion
    assert completion.course_title == "CPR practice"
    assert Completion.objects.filter(staff=failer).count() == 0
    assert set(session.bookings.values_list("status", flat=True)) == {"attended"}


def test_a_signed_roster_cannot_change_or_be_submitted_twice(booked_class):
    session, passer, failer, _ = booked_class
    marks = {
        passer.pk: {"present": True, "passed": True},
        failer.pk: {"present": False, "passed": False},
    }
    with time_machine.travel(NOON, tick=False):
        roster = roster_submit(
            session=session, by=session.instructor, signature="Ines I", marks=marks
        )
        with pytest.raises(ValidationError, match="already submitted"):
            roster_submit(
                session=session, by=session.instructor, signature="Ines I", marks=marks
            )
    roster.signature = "Someone else"
    with pytest.raises(ValidationError):
        roster.save()
    with pytest.raises(ValidationError):
        roster.delete()
    with pytest.raises(ValidationError):
        RosterEntry.objects.filter(roster=roster).update(passed=False)
    assert Booking.objects.get(staff=failer).status == "absent"


def test_a_correction_points_at_the_old_roster_and_adds_the_missed_pass(booked_class):
    session, passer, failer, _ = booked_class
    with time_machine.travel(NOON, tick=False):
        first = roster_submit(
            session=session,
            by=session.instructor,
            signature="Ines I",
            marks={
                passer.pk: {"present": True, "passed": True},
                failer.pk: {"present": True, "passed": False},
            },
        )
        with pytest.raises(ValidationError):
            roster_submit(
                session=session,
                by=session.instructor,
                signature="Ines I",
                marks={
                    passer.pk: {"present": True, "passed": True},
                    failer.pk: {"present": True, "passed": True},
                },
                corrects=first,
                reason="",
            )
        second = roster_submit(
            session=session,
            by=session.instructor,
            signature="Ines I",
            marks={
                passer.pk: {"present": True, "passed": True},
                failer.pk: {"present": True, "passed": True},
            },
            corrects=first,
            reason="Marked the wrong person as failed",
        )
    assert second.corrects == first
    assert Roster.objects.filter(session=session).count() == 2
    # The passer keeps the same records; the corrected person gets theirs.
    assert Credential.objects.filter(staff=passer).count() == 2  # old + renewal
    assert Completion.objects.filter(staff=passer).count() == 1
    assert Completion.objects.filter(staff=failer).count() == 1
    assert (
        second.entries.get(staff=passer).credential
        == first.entries.get(staff=passer).credential
    )


def test_absent_cannot_pass_and_everyone_must_be_marked(booked_class):
    session, passer, failer, _ = booked_class
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(ValidationError, match="without being present"):
            roster_submit(
                session=session,
                by=session.instructor,
                signature="Ines I",
                marks={
                    passer.pk: {"present": False, "passed": True},
                    failer.pk: {"present": True, "passed": False},
                },
            )
        with pytest.raises(ValidationError, match="Mark everyone"):
            roster_submit(
                session=session,
                by=session.instructor,
                signature="Ines I",
                marks={passer.pk: {"present": True, "passed": True}},
            )
    assert not Roster.objects.exists()


def test_roster_page_on_a_phone_flow(client, booked_class):
    session, passer, failer, _ = booked_class
    client.force_login(session.instructor)
    with time_machine.travel(NOON, tick=False):
        page = client.get(f"/classes/{session.pk}/roster/")
        assert page.status_code == 200
        assert passer.full_name in page.content.decode()
        response = client.post(
            f"/classes/{session.pk}/roster/",
            {
                f"attended-{passer.pk}": "present",
                f"result-{passer.pk}": "passed",
                f"attended-{failer.pk}": "absent",
                f"result-{failer.pk}": "passed",
                "signature": "",
            },
        )
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        response = client.post(
            f"/classes/{session.pk}/roster/",
            {
                f"attended-{passer.pk}": "present",
                f"result-{passer.pk}": "passed",
                f"attended-{failer.pk}": "absent",
                f"result-{failer.pk}": "passed",
                "signature": "Ines Instructor",
            },
        )
        assert response.status_code == 302
        signed = client.get(f"/classes/{session.pk}/roster/").content.decode()
    assert "Signed by Ines Instructor" in signed
    assert "Renewed credential" in signed
    # An absent person's "passed" radio is ignored.
    assert Credential.objects.filter(staff=failer).count() == 0


def test_a_colleague_cannot_open_the_roster(client, booked_class):
    session, passer, _failer, _ = booked_class
    client.force_login(passer.user)
    with time_machine.travel(NOON, tick=False):
        assert client.get(f"/classes/{session.pk}/roster/").status_code == 404


def test_the_card_can_be_uploaded_later_to_the_same_credential(client, booked_class):
    from tests.credentials.factories import pdf_upload

    session, passer, failer, _ = booked_class
    with time_machine.travel(NOON, tick=False):
        roster = roster_submit(
            session=session,
            by=session.instructor,
            signature="Ines I",
            marks={
                passer.pk: {"present": True, "passed": True},
                failer.pk: {"present": False, "passed": False},
            },
        )
    credential = roster.entries.get(staff=passer).credential
    client.force_login(passer.user)
    response = client.post(
        f"/credentials/{credential.pk}/documents/", {"document": pdf_upload()}
    )
    assert response.status_code == 302
    assert credential.documents.count() == 1


def test_the_roster_and_its_records_are_audited_with_the_signer(booked_class):
    from auditlog.models import LogEntry

    session, passer, failer, _ = booked_class
    with time_machine.travel(NOON, tick=False):
        roster = roster_submit(
            session=session,
            by=session.instructor,
            signature="Ines I",
            marks={
                passer.pk: {"present": True, "passed": True},
                failer.pk: {"present": False, "passed": False},
            },
        )
    entry = LogEntry.objects.get_for_object(roster).get()
    assert entry.actor == session.instructor
    credential = roster.entries.get(staff=passer).credential
    assert LogEntry.objects.get_for_object(credential).first().actor == (
        session.instructor
    )
