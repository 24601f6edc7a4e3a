"""Issue 10.5: "as of" means as of. On any date, the matrix, the dashboard, the CSV
exports, the training files and the roll-up count only the people on staff that day:
nobody hired later, nobody already gone."""

import csv
import datetime as dt
import io
import zipfile

import pytest
import time_machine
from pypdf import PdfReader

from compliance.models import ExportJob
from compliance.tasks import build_site_training_files
from portal import requirements
from portal.models import StaffProfile
from portal.requirements import Status
from tests.factories import JobRoleFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
PAST = dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def crew(team, fake_requirements):
    """Four people of one team, each with one overdue course (so every view that
    lists people with something overdue would list them by name)."""
    role = JobRoleFactory(name="Treatment Technician", code="tt")

    def person(first, last, **kwargs):
        staff = StaffProfileFactory(
            team=team,
            job_role=role,
            user=UserFactory(first_name=first, last_name=last),
            **kwargs,
        )
        fake_requirements.add(staff, "cpi", Status.OVERDUE, label="CPI", detail="due")
        return staff

    return {
        # Hired before PAST, still here: in every view.
        "steady": person("Sam", "Steady", hire_date=dt.date(2025, 6, 1)),
        # Hired after PAST: not on staff then, on staff today.
        "newcomer": person("Nia", "Newcomer", hire_date=dt.date(2026, 6, 1)),
        # Gone before PAST.
        "gone": person(
            "Gus",
            "Gone",
            hire_date=dt.date(2024, 1, 8),
            status=StaffProfile.Status.TERMINATED,
            termination_date=dt.date(2026, 2, 1),
        ),
        # On staff on PAST, gone since.
        "leaver": person(
            "Lea",
            "Leaver",
            hire_date=dt.date(2025, 2, 3),
            status=StaffProfile.Status.TERMINATED,
            termination_date=dt.date(2026, 9, 30),
        ),
    }


def names_in(text: str, crew) -> set[str]:
    return {key for key, staff in crew.items() if staff.user.last_name in text}


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_on_staff_rule_and_its_python_twin_agree(crew):
    for day in (
        dt.date(2024, 1, 7),
        dt.date(2024, 1, 8),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 1),
        PAST,
        dt.date(2026, 6, 1),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
    ):
        in_db = set(
            StaffProfile.objects.current(as_of=day).values_list("pk", flat=True)
        )
        in_python = {s.pk for s in crew.values() if s.is_current_on(day)}
        assert in_db == in_python, day
    # The hire date is the first day on staff, the termination date the first day gone.
    assert crew["gone"].is_current_on(dt.date(2026, 1, 31))
    assert not crew["gone"].is_current_on(dt.date(2026, 2, 1))
    assert not crew["newcomer"].is_current_on(dt.date(2026, 5, 31))
    assert crew["newcomer"].is_current_on(dt.date(2026, 6, 1))


def test_matrix_as_of_a_past_date_leaves_out_the_not_yet_hired_and_the_gone(
    client, supervisor, crew
):
    client.force_login(supervisor)
    past = client.get("/matrix/", {"as_of": PAST.isoformat()}).content.decode()
    assert names_in(past, crew) == {"steady", "leaver"}
    assert "Newcomer" not in past  # not listed as "Not ready" either
    today = client.get("/matrix/").content.decode()
    assert names_in(today, crew) == {"steady", "newcomer"}


def test_matrix_not_ready_filter_as_of_counts_only_people_on_staff(
    client, supervisor, crew
):
    client.force_login(supervisor)
    html = client.get(
        "/matrix/", {"as_of": PAST.isoformat(), "verdict": "not_compliant"}
    ).content.decode()
    assert names_in(html, crew) == {"steady", "leaver"}


def test_matrix_and_credential_csv_as_of_a_past_date(client, hr, crew):
    client.force_login(hr)
    matrix = csv_text(client.get("/matrix/export.csv", {"as_of": PAST.isoformat()}))
    assert names_in(matrix, crew) == {"steady", "leaver"}
    rows = list(csv.reader(io.StringIO(matrix)))
    assert {row[-1] for row in rows[1:]} == {PAST.isoformat()}
    today = csv_text(client.get("/matrix/export.csv"))
    assert names_in(today, crew) == {"steady", "newcomer"}
    credentials = csv_text(
        client.get("/compliance/credentials.csv", {"as_of": PAST.isoformat()})
    )
    assert "Newcomer" not in credentials and "Gone" not in credentials


def test_dashboard_as_of_a_past_date(client, hr, crew):
    client.force_login(hr)
    html = client.get("/compliance/", {"as_of": PAST.isoformat()}).content.decode()
    assert names_in(html, crew) == {"steady", "leaver"}
    assert "0 of 2 people" in html
    html = client.get("/compliance/").content.decode()
    assert names_in(html, crew) == {"steady", "newcomer"}
    assert "0 of 2 people" in html


def test_supervisor_home_counts_people_on_staff_today(client, supervisor, crew):
    client.force_login(supervisor)
    html = client.get("/").content.decode()
    # Sam and Nia; Gus and Lea have left.
    assert '<dt>People</dt><dd><a href="/matrix/">2</a></dd>' in html


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_training_file_before_the_hire_date_says_so_instead_of_not_ready(
    client, hr, crew
):
    client.force_login(hr)
    newcomer = crew["newcomer"]
    response = client.get(
        f"/staff/{newcomer.pk}/training-file.pdf", {"as_of": PAST.isoformat()}
    )
    text = pdf_text(response.content)
    assert "Not yet on staff on Mar 3, 2026: hired Jun 1, 2026." in text
    assert "Ready for the floor" not in text and "CPI" not in text
    # The same file as of today lists the requirement.
    text = pdf_text(client.get(f"/staff/{newcomer.pk}/training-file.pdf").content)
    assert "Fully compliant: no" in text and "CPI" in text


def test_training_file_after_the_termination_date_says_so(client, hr, crew):
    client.force_login(hr)
    gone = crew["gone"]
    response = client.get(
        f"/staff/{gone.pk}/training-file.pdf", {"as_of": PAST.isoformat()}
    )
    text = pdf_text(response.content)
    assert "No longer on staff on Mar 3, 2026: left Feb 1, 2026." in text
    assert "Ready for the floor" not in text
    # Before they left, their requirements were theirs.
    response = client.get(
        f"/staff/{gone.pk}/training-file.pdf", {"as_of": "2026-01-15"}
    )
    assert "Fully compliant: no" in pdf_text(response.content)


def test_site_zip_as_of_a_past_date_holds_only_people_on_staff(
    hr, team, crew, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(site=team.site, as_of=PAST, requested_by=hr)
    from django.core.files.storage import storages

    with django_capture_on_commit_callbacks(execute=True):
        build_site_training_files(job.pk)
    job.refresh_from_db()
    name = job.file
    with storages["private"].open(name, "rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    ids = {key for key, s in crew.items() if any(s.employee_id in n for n in names)}
    assert ids == {"steady", "leaver"}


def test_providers_are_asked_only_about_people_on_staff(crew, fake_requirements):
    ids = [s.pk for s in crew.values()]
    rows = requirements.requirement_statuses(staff_ids=ids, as_of=PAST)
    assert set(rows) == set(ids)  # everyone gets an answer...
    with_requirements = {pk for pk, cells in rows.items() if cells}
    # ...but only the people on staff that day have requirements.
    assert with_requirements == {crew["steady"].pk, crew["leaver"].pk}


def test_person_page_of_someone_gone_says_so(client, hr, crew):
    client.force_login(hr)
    html = client.get(f"/staff/{crew['leaver'].pk}/").content.decode()
    assert "No longer on staff on Nov 25, 2026: left Sep 30, 2026." in html
    assert "Not on staff" in html


def test_course_status_as_of_uses_the_assignment_open_that_day(staff):
    """An assignment made after the date did not exist then; one completed after
    the date was still open then."""
    from courses.selectors import course_requirement_statuses
    from courses.services import assignment_create, completion_record
    from tests.courses.factories import make_course, require

    course = make_course(title="De-escalation", retrain_months=12)
    require(course, staff.job_role)

    def status_on(day):
        (row,) = course_requirement_statuses(staff_ids=[staff.pk], as_of=day)
        return row.status, row.detail

    with time_machine.travel(dt.datetime(2026, 4, 1, 15, tzinfo=dt.UTC)):
        assignment_create(
            staff=staff,
            course=course.page,
            due_on=dt.date(2026, 4, 30),
            source="manual",
        )
    with time_machine.travel(dt.datetime(2026, 5, 10, 15, tzinfo=dt.UTC)):
        completion_record(staff=staff, course=course.page, score=90)
    assert status_on(dt.date(2026, 3, 15)) == (Status.MISSING, "not assigned")
    assert status_on(dt.date(2026, 4, 15)) == (Status.DUE, "due Apr 30, 2026")
    assert status_on(dt.date(2026, 5, 5)) == (Status.OVERDUE, "due Apr 30, 2026")
    assert status_on(dt.date(2026, 5, 10))[0] == Status.CURRENT
