"""HR defines skill checklists in the CMS (items), and who needs them under
Requirements."""

import pytest

from skills.models import SkillChecklist
from tests.factories import JobRoleFactory

pytestmark = pytest.mark.django_db


def test_hr_creates_a_checklist_with_items_and_job_roles(client, hr):
    role = JobRoleFactory()
    client.force_login(hr)
    base = "/cms/snippets/compliance/skillchecklist/"
    assert client.get(base).status_code == 200
    form = client.get(base + "add/")
    assert form.status_code == 200
    data = {
        "name": "Vital signs",
        "description": "",
        "recheck_months": "12",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-text": "Cuff size",
        "items-0-ORDER": "1",
        "items-0-DELETE": "",
        "items-0-id": "",
        "items-1-text": "Pulse",
        "items-1-ORDER": "2",
        "items-1-DELETE": "",
        "items-1-id": "",
    }
    response = client.post(base + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    checklist = SkillChecklist.objects.get(name="Vital signs")
    items = list(checklist.items.values_list("text", flat=True))
    assert items == ["Cuff size", "Pulse"]
    # Who must have it is set under Requirements › Skill requirements.
    response = client.post(
        "/cms/skillrequirement/new/",
        {
            "checklist": checklist.pk,
            "job_role": role.pk,
            "due_rule": "before_first_shift",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    requirement = checklist.requirements.get()
    assert requirement.job_role == role and requirement.before_first_shift


def test_supervisor_cannot_edit_checklists(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/cms/snippets/compliance/skillchecklist/")
    assert response.status_code in (302, 403)


def test_the_checklist_chooser_offers_no_create_form_and_its_address_says_404(
    client, hr
):
    """The chooser (picking a checklist for a requirement) has no "Create" tab:
    a checklist needs its items, written on the checklist's own screen. Its create
    address used to answer a server error to any post."""
    client.force_login(hr)
    base = "/cms/snippets/choose/skills/skillchecklist/"
    assert client.get(base).status_code == 200
    assert client.get(base + "create/").status_code == 404
    for data in ({}, {"name": "Vital signs", "recheck_months": "12"}):
        assert client.post(base + "create/", data).status_code == 404
    assert not SkillChecklist.objects.filter(name="Vital signs").exists()
