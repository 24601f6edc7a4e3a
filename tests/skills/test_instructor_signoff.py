"""Physical-intervention sign-offs are made by a certified instructor: a skill
checklist can ask its signer to hold a current credential of a named type."""

import datetime as dt

import pytest
import time_machine

from skills.models import SkillSignOff
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import StaffProfileFactory
from tests.skills.factories import SkillChecklistFactory, SkillRequirementFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
ITEMS = ["Verbal de-escalation first", "Approved hold with a partner"]


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def instructor_types(db):
    return [
        CredentialTypeFactory(name="CPI Certified Instructor", code="cpi-instructor"),
        CredentialTypeFactory(name="Safety-Care Trainer", code="safety-care-trainer"),
    ]


@pytest.fixture
def hold(staff, instructor_types):
    checklist = SkillChecklistFactory(
        name="Physical intervention: safe hold", items=ITEMS
    )
    checklist.signer_credentials.set(instructor_types)
    SkillRequirementFactory(job_role=staff.job_role, checklist=checklist)
    return checklist


def post(client, staff, checklist, signer):
    return client.post(
        f"/staff/{staff.pk}/skills/sign-off/",
        {
            "checklist": checklist.pk,
            "item_0": "met",
            "item_1": "met",
            "observed_on": TODAY.isoformat(),
            "signature_name": signer.get_full_name(),
        },
    )


def test_a_supervisor_without_an_instructor_credential_is_refused_with_the_reason(
    client, clock, staff, hold, supervisor
):
    client.force_login(supervisor)
    page = client.get(
        f"/staff/{staff.pk}/skills/sign-off/", {"checklist": hold.pk}
    ).content.decode()
    assert "must be signed off by a certified instructor" in page
    response = post(client, staff, hold, supervisor)
    assert response.status_code == 200
    text = response.content.decode()
    assert "CPI Certified Instructor or Safety-Care Trainer" in text
    assert "You have none on file" in text
    assert not SkillSignOff.objects.exists()


def test_an_expired_or_unverified_instructor_credential_does_not_count(
    client, clock, staff, hold, supervisor, team, instructor_types
):
    own = StaffProfileFactory(user=supervisor, team=team)
    CredentialFactory(
        staff=own,
        credential_type=instructor_types[0],
        expires_on=TODAY - dt.timedelta(days=1),
    )
    CredentialFactory(
        staff=own,
        credential_type=instructor_types[1],
        expires_on=TODAY + dt.timedelta(days=200),
        verification_status="pending",
    )
    client.force_login(supervisor)
    assert post(client, staff, hold, supervisor).status_code == 200
    assert not SkillSignOff.objects.exists()


def test_a_certified_instructor_signs_it_off(
    client, clock, staff, hold, supervisor, team, instructor_types
):
    own = StaffProfileFactory(user=supervisor, team=team)
    CredentialFactory(
        staff=own,
        credential_type=instructor_types[1],
        expires_on=TODAY + dt.timedelta(days=200),
    )
    client.force_login(supervisor)
    page = client.get(
        f"/staff/{staff.pk}/skills/sign-off/", {"checklist": hold.pk}
    ).content.decode()
    assert "certified instructor" not in page
    assert post(client, staff, hold, supervisor).status_code == 302
    assert SkillSignOff.objects.get().signed_by == supervisor


def test_a_checklist_without_the_rule_is_signed_by_any_supervisor(
    client, clock, staff, supervisor
):
    vitals = SkillChecklistFactory(name="Vital signs", items=ITEMS)
    client.force_login(supervisor)
    assert post(client, staff, vitals, supervisor).status_code == 302


def test_hr_names_the_signer_credential_in_the_cms(client, hr, instructor_types):
    client.force_login(hr)
    response = client.post(
        "/cms/snippets/compliance/skillchecklist/add/",
        {
            "name": "Physical intervention: escort",
            "description": "",
            "recheck_months": "12",
            "signer_credentials": [t.pk for t in instructor_types],
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-text": "Uses the approved escort",
            "items-0-ORDER": "1",
            "items-0-DELETE": "",
            "items-0-id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from skills.models import SkillChecklist

    checklist = SkillChecklist.objects.get(name="Physical intervention: escort")
    assert set(checklist.signer_credentials.all()) == set(instructor_types)
