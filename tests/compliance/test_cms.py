"""HR defines skill checklists in the CMS: items and the job roles that need them."""

import pytest

from compliance.models import SkillChecklist
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
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-job_role": str(role.pk),
        "requirements-0-before_first_shift": "on",
        "requirements-0-ORDER": "1",
        "requirements-0-DELETE": "",
        "requirements-0-id": "",
    }
    response = client.post(base + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    checklist = SkillChecklist.objects.get(name="Vital signs")
    items = list(checklist.items.values_list("text", flat=True))
    assert items == ["Cuff size", "Pulse"]
    requirement = checklist.requirements.get()
    assert requirement.job_role == role and requirement.before_first_shift


def test_supervisor_cannot_edit_checklists(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/cms/snippets/compliance/skillchecklist/")
    assert response.status_code in (302, 403)
