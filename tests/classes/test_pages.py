"""Scheduling and listing classes through the pages, by role."""

import pytest
import time_machine

from classes.models import ClassSession
from portal.roles import Role
from tests.classes.factories import NOON, make_session
from tests.credentials.factories import CredentialTypeFactory
from tests.factories import StaffProfileFactory, UserFactory, make_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def form_data(cpr, instructor, **over):
    data = {
        "title": "CPR renewal",
        "credential_type": cpr.pk,
        "starts_at": "2026-12-15T09:00",
        "ends_at": "2026-12-15T13:00",
        "location": "Room 2",
        "instructor": instructor.pk,
        "capacity": "8",
        "booking_deadline": "2026-12-14T17:00",
        "notes": "",
    }
    data.update(over)
    return data


def test_hr_schedules_a_class_in_the_agency_time_zone(client, clock):
    hr = make_hr(first_name="Helen", last_name="Park")
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    client.force_login(hr)
    response = client.post("/classes/add/", form_data(cpr, hr))
    session = ClassSession.objects.get()
    assert response.status_code == 302
    # 9:00 in New York is 14:00 UTC in December.
    assert session.starts_at.isoformat() == "2026-12-15T14:00:00+00:00"
    page = client.get(f"/classes/{session.pk}/").content.decode()
    assert "9:00 AM" in page and "Room 2" in page


def test_bad_input_re_renders_with_clear_messages(client, clock):
    hr = make_hr()
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    client.force_login(hr)
    response = client.post(
        "/classes/add/",
        form_data(
            cpr,
            hr,
            credential_type="",
            ends_at="2026-12-15T08:00",
            booking_deadline="2026-12-16T08:00",
            capacity="0",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give between 1 and 500 seats." in body or "greater than or equal" in body
    response = client.post(
        "/classes/add/",
        form_data(
            cpr,
            hr,
            credential_type="",
            ends_at="2026-12-15T08:00",
            booking_deadline="2026-12-16T08:00",
        ),
    )
    body = response.content.decode()
    assert "The class must end after it starts." in body
    assert "Booking must close before the class starts." in body
    assert "Choose what the class renews" in body
    response = client.post("/classes/add/", form_data(cpr, hr, starts_at="garbage"))
    assert response.status_code == 200
    assert not ClassSession.objects.exists()


def test_a_trainer_may_schedule_and_staff_may_not(client, clock):
    trainer = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    staff = StaffProfileFactory()
    client.force_login(trainer)
    assert client.get("/classes/add/").status_code == 200
    client.force_login(staff.user)
    assert client.get("/classes/add/").status_code == 403


def test_list_filters_paginates_and_shows_an_empty_state(
    client, clock, django_assert_max_num_queries
):
    staff = StaffProfileFactory()
    client.force_login(staff.user)
    assert "No classes are scheduled yet." in client.get("/classes/").content.decode()
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    cpi = CredentialTypeFactory(name="CPI", code="cpi")
    hr = make_hr()
    for _ in range(22):
        make_session(credential_type=cpr, by=hr)
    make_session(credential_type=cpi, by=hr, title="CPI refresher")
    with django_assert_max_num_queries(12):
        page = client.get("/classes/").content.decode()
    assert "Page 1 of 2" in page
    only_cpi = client.get(f"/classes/?credential_type={cpi.pk}").content.decode()
    assert "CPI refresher" in only_cpi and "CPR / First Aid renewal" not in only_cpi
    past = client.get("/classes/?when=past").content.decode()
    assert "No class matches these filters." in past
    assert client.get("/classes/?when=nonsense&page=x").status_code == 200
