"""The email after a class pass says what happened: the signed roster verified the
card, not "HR verified your ..."; HR's own verification still says HR."""

import datetime as dt

import pytest
import time_machine

from classes.services import booking_create, roster_submit
from credentials.services import credential_verify, decision_email_send
from portal.models import OutboundEmail
from tests.classes.factories import NOON, make_session
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import StaffProfileFactory, UserFactory, make_hr

pytestmark = pytest.mark.django_db

CLASS_DAY = NOON - dt.timedelta(days=1)  # Nov 30, 2026, noon New York


@pytest.fixture
def passed_class():
    """A Safety-Care class yesterday, taught by a qualified instructor, and one
    person booked."""
    ctype = CredentialTypeFactory(name="Safety-Care", code="safety-care")
    instructor = UserFactory(first_name="Ines", last_name="Instructor")
    qualification = CredentialTypeFactory(name="Safety-Care Trainer", code="sc-t")
    ctype.instructor_credentials.add(qualification)
    CredentialFactory(
        staff=StaffProfileFactory(user=instructor),
        credential_type=qualification,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2028, 1, 4),
    )
    with time_machine.travel(CLASS_DAY - dt.timedelta(days=10), tick=False):
        session = make_session(
            starts_at=CLASS_DAY,
            credential_type=ctype,
            instructor=instructor,
            title="Safety-Care initial",
        )
        person = StaffProfileFactory(user=UserFactory(first_name="Pat"))
        booking_create(session=session, staff=person, by=person.user)
    return session, person


def sign(session, person, by, signature):
    with time_machine.travel(NOON, tick=False):
        roster = roster_submit(
            session=session,
            by=by,
            signature=signature,
            marks={person.pk: {"present": True, "passed": True, "note": ""}},
        )
    return roster.entries.get().credential


def test_a_pass_verified_by_the_roster_is_not_credited_to_hr(passed_class):
    session, person = passed_class
    credential = sign(session, person, session.instructor, "Ines Instructor")
    assert credential.verification_status == "verified"
    with time_machine.travel(NOON, tick=False):
        assert decision_email_send(credential_id=credential.pk)
    row = OutboundEmail.objects.get(kind="decision")
    assert row.subject == "[Milieu] Your Safety-Care is on file"
    for text in (row.body_text, row.body_html):
        assert "HR verified" not in text
        assert "Safety-Care" in text and "is on file and verified" in text
        assert "you passed Safety-Care initial on Nov 30, 2026" in text
        assert "signed by Ines Instructor" in text


def test_hr_verifying_a_pending_class_pass_says_hr_verified(passed_class):
    session, person = passed_class
    # Someone not qualified signs: the pass waits for HR.
    helper = UserFactory(first_name="Sam")
    session.instructor = helper
    session.save(update_fields=["instructor"])
    credential = sign(session, person, helper, "Sam Helper")
    assert credential.verification_status == "pending"
    hr = make_hr()
    with time_machine.travel(NOON, tick=False):
        credential_verify(credential=credential, by=hr)
        assert decision_email_send(credential_id=credential.pk)
    row = OutboundEmail.objects.get(kind="decision")
    assert "HR verified your Safety-Care" in row.body_text
    assert row.subject == "[Milieu] Your Safety-Care was verified"
