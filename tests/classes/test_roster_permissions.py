"""Who may mark whom on a class roster, decided per person: the instructor of
record and HR anyone booked, a supervisor only their own teams (when the agency
allows it), nobody themselves; and a pass is verified only by HR or an instructor
qualified for the credential, otherwise it waits in HR's verification queue."""

import datetime as dt

import pytest
import time_machine

from classes.models import Booking, Roster, RosterEntry
from classes.services import booking_create
from courses.models import Completion
from credentials.models import Credential
from credentials.selectors import pending_verification_count
from portal.models import Agency
from tests.classes.factories import NOON, make_session
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import (
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_hr,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

CLASS_DAY = NOON - dt.timedelta(days=1)  # 30 Nov 2026, noon New York


@pytest.fixture
def crisis_class():
    """Yesterday's crisis-intervention class: Alma (team A) and Bert (team B) are
    booked; supervisor B booked Bert; the instructor teaches it and is booked too."""
    cpi = CredentialTypeFactory(name="Crisis intervention", code="cpi")
    team_a, team_b = TeamFactory(), TeamFactory()
    alma = StaffProfileFactory(
        team=team_a, user=UserFactory(first_name="Alma", last_name="Ateam")
    )
    bert = StaffProfileFactory(
        team=team_b, user=UserFactory(first_name="Bert", last_name="Bteam")
    )
    supervisor_b = make_supervisor(team_b, first_name="Sue", last_name="Bsuper")
    instructor = StaffProfileFactory(
        team=team_a, user=UserFactory(first_name="Ines", last_name="Instructor")
    )
    with time_machine.travel(CLASS_DAY - dt.timedelta(days=10), tick=False):
        session = make_session(
            starts_at=CLASS_DAY,
            credential_type=cpi,
            instructor=instructor.user,
            capacity=5,
            title="Crisis intervention",
        )
        booking_create(session=session, staff=alma, by=alma.user)
        booking_create(session=session, staff=bert, by=supervisor_b)
        booking_create(session=session, staff=instructor, by=instructor.user)
    return {
        "session": session,
        "cpi": cpi,
        "alma": alma,
        "bert": bert,
        "supervisor_b": supervisor_b,
        "instructor": instructor,
    }


def _marks(*people, passed=True) -> dict[str, str]:
    data = {}
    for person in people:
        data[f"attended-{person.pk}"] = "present"
        data[f"result-{person.pk}"] = "passed" if passed else "failed"
    return data


def _roster_url(session) -> str:
    return f"/classes/{session.pk}/roster/"


def test_supervisor_sees_and_marks_only_their_own_people(client, crisis_class):
    c = crisis_class
    client.force_login(c["supervisor_b"])
    with time_machine.travel(NOON, tick=False):
        page = client.get(_roster_url(c["session"])).content.decode()
        assert "Bert Bteam" in page
        assert "Alma Ateam" not in page
        assert "Ines Instructor" not in page
        response = client.post(
            _roster_url(c["session"]),
            {
                **_marks(c["alma"], c["bert"], c["instructor"]),
                "signature": "Sue Bsuper",
            },
        )
    assert response.status_code == 302
    roster = Roster.objects.get()
    assert list(roster.entries.values_list("staff_id", flat=True)) == [c["bert"].pk]
    assert not Credential.objects.filter(staff=c["alma"]).exists()
    assert Booking.objects.get(staff=c["alma"]).status == Booking.Status.BOOKED
    assert not RosterEntry.objects.filter(staff=c["alma"]).exists()


def test_a_pass_marked_by_a_supervisor_waits_for_hr_verification(client, crisis_class):
    c = crisis_class
    client.force_login(c["supervisor_b"])
    with time_machine.travel(NOON, tick=False):
        client.post(
            _roster_url(c["session"]),
            {**_marks(c["bert"]), "signature": "Sue Bsuper"},
        )
    credential = Credential.objects.get(staff=c["bert"])
    assert credential.verification_status == Credential.Verification.PENDING
    assert credential.verified_by is None
    assert credential.created_by == c["supervisor_b"]
    assert pending_verification_count() == 1


def test_a_supervisor_cannot_open_a_roster_holding_none_of_their_people(
    client, crisis_class
):
    c = crisis_class
    other = make_supervisor(TeamFactory())
    client.force_login(other)
    with time_machine.travel(NOON, tick=False):
        assert client.get(_roster_url(c["session"])).status_code == 404
        response = client.post(
            _roster_url(c["session"]),
            {**_marks(c["alma"], c["bert"]), "signature": "Other Super"},
        )
    assert response.status_code == 404
    assert not Roster.objects.exists()


def test_supervisors_take_no_attendance_when_the_agency_says_so(client, crisis_class):
    c = crisis_class
    agency = c["alma"].team.site.agency
    Agency.objects.filter(pk=agency.pk).update(supervisors_take_attendance=False)
    client.force_login(c["supervisor_b"])
    with time_machine.travel(NOON, tick=False):
        assert client.get(_roster_url(c["session"])).status_code == 404
        client.post(
            _roster_url(c["session"]), {**_marks(c["bert"]), "signature": "Sue B"}
        )
    assert not Roster.objects.exists()


def test_the_instructor_cannot_record_their_own_pass(client, crisis_class):
    c = crisis_class
    client.force_login(c["instructor"].user)
    with time_machine.travel(NOON, tick=False):
        page = client.get(_roster_url(c["session"])).content.decode()
        assert f'name="attended-{c["instructor"].pk}"' not in page
        response = client.post(
            _roster_url(c["session"]),
            {
                **_marks(c["alma"], c["bert"], c["instructor"]),
                "signature": "Ines Instructor",
            },
        )
    assert response.status_code == 302
    assert not Credential.objects.filter(staff=c["instructor"]).exists()
    assert not Completion.objects.filter(staff=c["instructor"]).exists()
    assert not RosterEntry.objects.filter(staff=c["instructor"]).exists()
    assert RosterEntry.objects.filter(staff=c["alma"], passed=True).exists()


def test_an_unqualified_instructors_pass_goes_to_the_queue(client, crisis_class):
    c = crisis_class
    client.force_login(c["instructor"].user)
    with time_machine.travel(NOON, tick=False):
        client.post(
            _roster_url(c["session"]),
            {**_marks(c["alma"], c["bert"]), "signature": "Ines Instructor"},
        )
    for person in (c["alma"], c["bert"]):
        credential = Credential.objects.get(staff=person)
        assert credential.verification_status == Credential.Verification.PENDING
        assert "HR verifies" in credential.primary_source_note


def test_a_qualified_instructors_pass_is_verified(client, crisis_class):
    c = crisis_class
    qualification = CredentialTypeFactory(name="CPI instructor", code="cpi-teacher")
    c["cpi"].instructor_credentials.add(qualification)
    CredentialFactory(
        staff=c["instructor"],
        credential_type=qualification,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2027, 1, 4),
    )
    client.force_login(c["instructor"].user)
    with time_machine.travel(NOON, tick=False):
        client.post(
            _roster_url(c["session"]),
            {**_marks(c["alma"], c["bert"]), "signature": "Ines Instructor"},
        )
    credential = Credential.objects.get(staff=c["alma"])
    assert credential.verification_status == Credential.Verification.VERIFIED
    assert credential.verified_by == c["instructor"].user


def test_hr_marks_everyone_but_themselves_and_verifies(client, crisis_class):
    c = crisis_class
    hr = make_hr(first_name="Hana", last_name="Hr")
    client.force_login(hr)
    with time_machine.travel(NOON, tick=False):
        page = client.get(_roster_url(c["session"])).content.decode()
        for name in ("Alma Ateam", "Bert Bteam", "Ines Instructor"):
            assert name in page
        client.post(
            _roster_url(c["session"]),
            {
                **_marks(c["alma"], c["bert"], c["instructor"]),
                "signature": "Hana Hr",
            },
        )
    assert (
        Credential.objects.filter(
            verification_status=Credential.Verification.VERIFIED, verified_by=hr
        ).count()
        == 3
    )


def test_a_correction_by_the_instructor_keeps_what_the_supervisor_marked(
    client, crisis_class
):
    c = crisis_class
    with time_machine.travel(NOON, tick=False):
        client.force_login(c["supervisor_b"])
        client.post(
            _roster_url(c["session"]),
            {**_marks(c["bert"]), "signature": "Sue Bsuper"},
        )
        client.force_login(c["alma"].user)  # a learner: no roster at all
        assert client.get(_roster_url(c["session"])).status_code == 404
        client.force_login(make_supervisor(c["bert"].team))  # a second supervisor B
        response = client.post(
            _roster_url(c["session"]),
            {
                f"attended-{c['bert'].pk}": "absent",
                "signature": "Second Super",
                "reason": "Bert left early",
            },
        )
        assert response.status_code == 302
    current = Roster.objects.get(corrected_by__isnull=True)
    assert current.corrects is not None
    assert list(current.entries.values_list("staff_id", "present")) == [
        (c["bert"].pk, False)
    ]
