"""Bulk staff import: dry run, row-numbered errors, confirm, idempotent re-import."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.importer import import_apply, import_plan
from portal.models import Invitation, StaffProfile, User
from portal.signals import staff_job_role_assigned
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOOD = """employee_id,name,email,job_role,team,hire_date
H100,Ana Lima,ana@example.org,tt,Cedar House,2026-11-02
H101,"Brooks, Ben",ben@example.org,Treatment Technician,Cedar House,11/03/2026
"""


@pytest.fixture
def org():
    return {
        "role": JobRoleFactory(name="Treatment Technician", code="tt"),
        "team": TeamFactory(name="Cedar House"),
    }


def upload(client, text):
    return client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", text.encode(), "text/csv")},
    )


def test_dry_run_writes_nothing_then_confirm_creates_and_invites(
    client, hr, org, mailoutbox, django_capture_on_commit_callbacks
):
    assigned = []

    def listener(sender, staff, **kwargs):
        assigned.append(staff.employee_id)

    staff_job_role_assigned.connect(listener)
    client.force_login(hr)
    users_before = User.objects.count()
    response = upload(client, GOOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 to create" in html and "Ana Lima" in html and "Ben Brooks" in html
    assert User.objects.count() == users_before
    assert not StaffProfile.objects.filter(employee_id__startswith="H").exists()
    payload = response.context["payload"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/import/", {"confirm": "1", "payload": payload})
    assert response.status_code == 302
    ana = StaffProfile.objects.get(employee_id="H100")
    assert ana.user.first_name == "Ana" and ana.team == org["team"]
    assert StaffProfile.objects.get(employee_id="H101").user.last_name == "Brooks"
    assert Invitation.objects.filter(user__email="ana@example.org").exists()
    assert {m.to[0] for m in mailoutbox} >= {"ana@example.org", "ben@example.org"}
    assert sorted(assigned) == ["H100", "H101"]
    staff_job_role_assigned.disconnect(listener)


def test_re_import_is_idempotent(hr, org):
    import_apply(text=GOOD, by=hr)
    before = list(StaffProfile.objects.values_list("pk", "employee_id", "hire_date"))
    plans = import_plan(text=GOOD)
    assert {p.action for p in plans} == {"unchanged"}
    counts = import_apply(text=GOOD, by=hr)
    assert counts["create"] == 0 and counts["change"] == 0
    assert list(StaffProfile.objects.values_list("pk", "employee_id", "hire_date")) == (
        before
    )
    assert Invitation.objects.count() == 2


def test_changes_are_shown_and_applied(hr, org):
    import_apply(text=GOOD, by=hr)
    other = TeamFactory(name="Maple House")
    changed = GOOD.replace(
        "H100,Ana Lima,ana@example.org,tt,Cedar House",
        "H100,Ana Lima,ana@example.org,tt,Maple House",
    )
    plan = import_plan(text=changed)[0]
    assert plan.action == "change"
    assert any("team" in c for c in plan.changes)
    assert StaffProfile.objects.get(employee_id="H100").team == org["team"]
    import_apply(text=changed, by=hr)
    assert StaffProfile.objects.get(employee_id="H100").team == other


def test_bad_rows_are_reported_with_line_numbers(client, hr, org):
    UserFactory(email="taken@example.org")
    text = (
        "employee_id,name,email,job_role,team,hire_date\n"
        "H200,Good Row,good@example.org,tt,Cedar House,2026-11-01\n"
        "H201,Role Less,role@example.org,astronaut,Cedar House,2026-11-01\n"
        "H202,Bad Date,date@example.org,tt,Cedar House,31/31/2026\n"
        "H203,Dupe One,good@example.org,tt,Cedar House,2026-11-01\n"
        "H204,Taken,taken@example.org,tt,Cedar House,2026-11-01\n"
        "H205,No Team,team@example.org,tt,Nowhere,2026-11-01\n"
    )
    plans = {p.number: p for p in import_plan(text=text)}
    assert plans[2].action == "create"
    assert plans[3].action == "reject" and "Unknown job role" in plans[3].errors[0]
    assert plans[4].action == "reject" and "not a date" in " ".join(plans[4].errors)
    assert "Duplicate email" in " ".join(plans[5].errors)
    assert "line 2" in " ".join(plans[5].errors)
    assert "Duplicate email" in " ".join(plans[6].errors)
    assert "Unknown team" in " ".join(plans[7].errors)
    client.force_login(hr)
    html = upload(client, text).content.decode()
    assert "Unknown job role “astronaut”" in html
    assert "5 rejected" in html
    assert not StaffProfile.objects.filter(employee_id__startswith="H2").exists()


def test_missing_columns_and_tampered_payload(client, hr, org):
    client.force_login(hr)
    html = upload(client, "id,who\n1,x\n").content.decode()
    assert "lacks these columns" in html
    response = client.post("/staff/import/", {"confirm": "1", "payload": "forged"})
    assert response.status_code == 302
    assert not StaffProfile.objects.filter(employee_id__startswith="H").exists()


def test_only_hr_may_import(client, supervisor, staff):
    client.force_login(supervisor)
    assert client.get("/staff/import/").status_code == 403
    StaffProfileFactory()


@time_machine.travel(
    datetime.datetime(2026, 12, 1, 17, tzinfo=datetime.UTC), tick=False
)
def test_re_import_of_a_terminated_person_warns(client, hr, org):
    import_apply(text=GOOD, by=hr)
    ana = StaffProfile.objects.get(employee_id="H100")
    ana.status = StaffProfile.Status.TERMINATED
    ana.termination_date = datetime.date(2026, 11, 20)
    ana.save()
    client.force_login(hr)
    html = upload(client, GOOD).content.decode()
    assert "Terminated on Nov 20, 2026; the import does not re-activate people." in html
    ana.refresh_from_db()
    assert ana.status == StaffProfile.Status.TERMINATED


def test_the_sample_csv_has_the_importer_columns_and_previews_cleanly(client, hr, org):
    client.force_login(hr)
    page = client.get("/staff/import/").content.decode()
    assert 'href="/staff/import/sample.csv"' in page
    response = client.get("/staff/import/sample.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    header = text.splitlines()[0]
    assert header == "employee_id,first_name,last_name,email,job_role,team,hire_date"
    # The sample uses this agency's job roles and teams: nothing is rejected.
    plans = import_plan(text=text)
    assert [p.action for p in plans] == ["create", "create"]
    preview = upload(client, text).content.decode()
    assert "2 to create" in preview and "0 rejected" in preview


def test_only_hr_may_download_the_sample(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/staff/import/sample.csv").status_code == 403


def test_a_date_or_name_the_portal_refuses_is_refused_in_the_dry_run_and_others_go_on(
    client, hr, org, django_capture_on_commit_callbacks
):
    long_name = "A" * 151
    text = (
        "employee_id,first_name,last_name,email,job_role,team,hire_date,"
        "termination_date\n"
        "H300,Far,Future,far@example.org,tt,Cedar House,2026-11-01,9999-12-31\n"
        f"H301,{long_name},Long,long@example.org,tt,Cedar House,2026-11-01,\n"
        "H302,Good,Row,goodrow@example.org,tt,Cedar House,2026-11-01,\n"
    )
    client.force_login(hr)
    response = upload(client, text)
    html = response.content.decode()
    plans = {p.number: p for p in response.context["plans"]}
    assert plans[2].action == "reject"
    assert len(plans[2].errors) == 1
    assert plans[2].errors[0].startswith("Termination date: ")
    assert "9999 is more than 50 years ahead; check the year." in plans[2].errors[0]
    assert plans[3].action == "reject"
    assert (
        "First name: Ensure this value has at most 150 characters"
        in (plans[3].errors[0])
    )
    assert plans[4].action == "create"
    assert "2 rejected" in html and "1 to create" in html
    # The import runs in the background (here, at commit) and its page says so.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/import/",
            {"confirm": "1", "payload": response.context["payload"]},
        )
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "1 created and invited, 0 changed, 0 unchanged, 2 rejected" in (
        response.content.decode()
    )
    assert list(
        StaffProfile.objects.filter(employee_id__startswith="H3").values_list(
            "employee_id", flat=True
        )
    ) == ["H302"]
