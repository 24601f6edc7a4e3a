"""Skill sign-off rules: who may sign, needs practice, immutability, corrections."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from portal.dates import agency_today
from portal.requirements import Status
from portal.rollup import readiness_for
from skills import services
from skills.models import SkillSignOff, SkillSignOffItem
from tests.factories import StaffProfileFactory
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(staff):
    checklist = SkillChecklistFactory(
        name="Vital signs", items=["Cuff size", "Pulse", "Record"]
    )
    SkillRequirementFactory(job_role=staff.job_role, checklist=checklist)
    return checklist


def sign(staff, checklist, by, results=None, **kwargs):
    items = list(checklist.items.values_list("text", flat=True))
    return services.signoff_create(
        staff=staff,
        checklist=checklist,
        observed_on=kwargs.pop("observed_on", agency_today()),
        signed_by=by,
        signature_name=kwargs.pop("signature_name", by.get_full_name()),
        results=list(zip(items, results or ["met"] * len(items), strict=True)),
        **kwargs,
    )


def status_of(staff, checklist):
    r = readiness_for(staff_ids=[staff.pk], as_of=agency_today())[staff.pk]
    return r.cells[f"skill:{checklist.pk}"].status


def test_supervisor_signs_off_their_team_member(staff, checklist, supervisor):
    signoff = sign(staff, checklist, supervisor)
    assert signoff.met
    assert signoff.items.count() == 3
    assert status_of(staff, checklist) == Status.CURRENT


def test_nobody_signs_off_themselves(team, checklist, supervisor, hr):
    own = StaffProfileFactory(
        user=supervisor, team=team, job_role=checklist.requirements.first().job_role
    )
    with pytest.raises(ValidationError, match="own skills"):
        sign(own, checklist, supervisor)
    hr_staff = StaffProfileFactory(user=hr, team=team)
    with pytest.raises(ValidationError, match="own skills"):
        sign(hr_staff, checklist, hr)
    assert not SkillSignOff.objects.exists()


def test_supervisor_cannot_sign_off_outside_their_teams(
    staff, checklist, other_supervisor
):
    with pytest.raises(ValidationError, match="teams you supervise"):
        sign(staff, checklist, other_supervisor)
    assert not SkillSignOff.objects.exists()


def test_a_needs_practice_item_means_not_met(staff, checklist, supervisor):
    signoff = sign(
        staff, checklist, supervisor, results=["met", "needs_practice", "met"]
    )
    assert not signoff.met
    assert status_of(staff, checklist) == Status.MISSING


def test_signature_must_be_the_signers_name_and_every_item_answered(
    staff, checklist, supervisor
):
    with pytest.raises(ValidationError) as exc:
        sign(staff, checklist, supervisor, signature_name="Someone Else")
    assert "signature_name" in exc.value.message_dict
    with pytest.raises(ValidationError, match="every item"):
        services.signoff_create(
            staff=staff,
            checklist=checklist,
            observed_on=agency_today(),
            signed_by=supervisor,
            signature_name=supervisor.get_full_name(),
            results=[("Cuff size", "met")],
        )
    with pytest.raises(ValidationError) as exc:
        sign(
            staff,
            checklist,
            supervisor,
            observed_on=agency_today() + dt.timedelta(days=1),
        )
    assert "observed_on" in exc.value.message_dict


def test_sign_offs_are_immutable(staff, checklist, supervisor):
    signoff = sign(staff, checklist, supervisor)
    signoff.notes = "changed"
    with pytest.raises(ValidationError):
        signoff.save()
    with pytest.raises(ValidationError):
        signoff.delete()
    with pytest.raises(ValidationError):
        SkillSignOff.objects.filter(pk=signoff.pk).update(met=False)
    with pytest.raises(ValidationError):
        SkillSignOffItem.objects.filter(sign_off=signoff).update(
            result="needs_practice"
        )
    with pytest.raises(ValidationError):
        SkillSignOff.objects.all().delete()
    signoff.refresh_from_db()
    assert signoff.notes == "" and signoff.met


def test_a_correction_replaces_the_record_and_both_stay(staff, checklist, supervisor):
    wrong = sign(staff, checklist, supervisor)
    assert status_of(staff, checklist) == Status.CURRENT
    fixed = sign(
        staff,
        checklist,
        supervisor,
        results=["met", "met", "needs_practice"],
        corrects=wrong,
        notes="Recorded the wrong result for Record.",
    )
    assert fixed.corrects == wrong
    assert SkillSignOff.objects.count() == 2
    assert status_of(staff, checklist) == Status.MISSING
    with pytest.raises(ValidationError, match="already corrected"):
        sign(staff, checklist, supervisor, corrects=wrong)
    other = SkillChecklistFactory()
    with pytest.raises(ValidationError, match="same person and checklist"):
        sign(staff, other, supervisor, corrects=fixed)


def test_sign_off_through_the_page_is_logged(client, staff, checklist, supervisor):
    client.force_login(supervisor)
    url = f"/staff/{staff.pk}/skills/sign-off/"
    assert checklist.name in client.get(url).content.decode()
    page = client.get(url, {"checklist": checklist.pk})
    assert "Cuff size" in page.content.decode()
    data = {
        "checklist": checklist.pk,
        "item_0": "met",
        "item_1": "met",
        "item_2": "met",
        "observed_on": agency_today().isoformat(),
        "signature_name": "not me",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "Type your full name" in bad.content.decode()
    assert not SkillSignOff.objects.exists()
    data["signature_name"] = supervisor.get_full_name()
    response = client.post(url, data)
    assert response.status_code == 302
    signoff = SkillSignOff.objects.get()
    assert LogEntry.objects.get_for_object(signoff).filter(actor=supervisor).exists()
    detail = client.get(f"/skills/sign-offs/{signoff.pk}/")
    assert "Record a correction" in detail.content.decode()


def test_other_supervisor_cannot_open_the_sign_off_page(
    client, staff, checklist, other_supervisor, supervisor
):
    client.force_login(other_supervisor)
    assert client.get(f"/staff/{staff.pk}/skills/sign-off/").status_code == 404
    signoff = sign(staff, checklist, supervisor)
    assert client.get(f"/skills/sign-offs/{signoff.pk}/").status_code == 404


def test_staff_cannot_sign_off(client, staff, checklist, team):
    colleague = StaffProfileFactory(team=team)
    client.force_login(colleague.user)
    assert client.get(f"/staff/{staff.pk}/skills/sign-off/").status_code == 403
