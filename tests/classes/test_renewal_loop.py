"""From reminder to seat: reminders and pages lead to the next class that renews
the credential, and the matrix says "booked for" without changing the status."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from classes.models import Booking
from classes.services import booking_create
from credentials.reminders import reminder_scan
from tests.classes.factories import NOON, make_session
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import (
    StaffProfileFactory,
    UserFactory,
    make_hr,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
EXPIRES = TODAY + dt.timedelta(days=30)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def expiring(clock):
    """Eve's verified CPR card expires in 30 days; her role requires CPR."""
    cpr = CredentialTypeFactory(
        name="CPR / First Aid", code="cpr", reminder_days="90, 30, 7, 0"
    )
    eve = StaffProfileFactory(
        user=UserFactory(
            first_name="Eve", last_name="Expiring", email="eve@example.org"
        )
    )
    CredentialRequirementFactory(job_role=eve.job_role, credential_type=cpr)
    card = CredentialFactory(
        staff=eve,
        credential_type=cpr,
        verification_status="verified",
        issued_on=EXPIRES - dt.timedelta(days=730),
        expires_on=EXPIRES,
    )
    return eve, cpr, card


def test_the_reminder_links_to_the_next_class_with_free_seats(
    expiring, django_capture_on_commit_callbacks
):
    eve, cpr, _card = expiring
    full = make_session(credential_type=cpr, capacity=1, title="CPR full class")
    booking_create(session=full, staff=StaffProfileFactory(), by=full.created_by)
    free = make_session(
        credential_type=cpr,
        starts_at=NOON + dt.timedelta(days=20),
        title="CPR open class",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminder_scan(today=TODAY)
    message = next(m for m in mail.outbox if m.to == ["eve@example.org"])
    assert f"/classes/{free.pk}/" in message.body
    assert "CPR open class" in message.body
    assert "CPR full class" not in message.body
    assert f"/classes/{free.pk}/" in message.alternatives[0][0]


def test_one_click_booking_on_my_credentials(client, expiring):
    eve, cpr, _card = expiring
    session = make_session(credential_type=cpr, title="CPR Tuesday")
    client.force_login(eve.user)
    page = client.get("/credentials/").content.decode()
    assert "Book the class on Dec 15" in page
    response = client.post(
        f"/classes/{session.pk}/book/", {"next": "/credentials/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/credentials/"
    assert Booking.objects.get(staff=eve).status == "booked"
    page = response.content.decode()
    assert "booked for" in page and "Book the class" not in page


def test_matrix_and_dashboard_say_booked_but_keep_the_status(client, expiring):
    eve, cpr, _card = expiring
    session = make_session(credential_type=cpr)
    booking_create(session=session, staff=eve, by=eve.user)
    supervisor = make_supervisor(eve.team)
    client.force_login(supervisor)
    matrix = client.get("/matrix/").content.decode()
    assert "booked for Dec 15" in matrix
    assert "Expiring" in matrix
    client.force_login(make_hr())
    dashboard = client.get("/compliance/").content.decode()
    assert "booked for Dec 15" in dashboard


def test_person_page_offers_the_next_classes(client, expiring):
    eve, cpr, _card = expiring
    session = make_session(credential_type=cpr, title="CPR Saturday")
    supervisor = make_supervisor(eve.team)
    client.force_login(supervisor)
    page = client.get(f"/staff/{eve.pk}/").content.decode()
    assert "CPR Saturday" in page
    assert f"/classes/{session.pk}/book/" in page
