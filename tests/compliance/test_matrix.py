"""The team matrix, its filters and counts, its CSV exports, the training file
PDF and the reminder sent from a person's page, per role."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from compliance.exports import neutralise
from courses.services import attestation_sign, completion_record
from credentials.services import credential_document_add
from portal.dates import agency_today
from portal.models import StaffProfile
from portal.requirements import Status
from tests.courses.factories import make_course
from tests.credentials.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    pdf_upload,
)
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    UserFactory,
    as_written,
)
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
    make_signoff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def role():
    return JobRoleFactory(name="Treatment Technician", code="tt")


@pytest.fixture
def people(team, other_team, role, fake_requirements, supervisor):
    hold = SkillChecklistFactory(name="Safe hold")
    SkillRequirementFactory(job_role=role, checklist=hold, before_first_shift=True)
    ready = StaffProfileFactory(
        team=team, job_role=role, user=UserFactory(first_name="Rita", last_name="Ready")
    )
    make_signoff(
        staff=ready, checklist=hold, signed_by=supervisor, observed_on=agency_today()
    )
    fake_requirements.add(
        ready,
        "cpr",
        Status.CURRENT,
        kind="credential",
        label="CPR",
        before_first_shift=True,
    )
    waiting = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Nate", last_name="Notyet"),
    )
    fake_requirements.add(
        waiting,
        "cpr",
        Status.PENDING,
        kind="credential",
        label="CPR",
        before_first_shift=True,
    )
    outsider = StaffProfileFactory(
        team=other_team,
        job_role=role,
        user=UserFactory(first_name="Olga", last_name="Outside"),
    )
    return {"ready": ready, "waiting": waiting, "outsider": outsider, "hold": hold}


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_supervisor_matrix_shows_only_their_teams(client, supervisor, people):
    client.force_login(supervisor)
    html = client.get("/matrix/").content.decode()
    assert "Rita Ready" in html and "Nate Notyet" in html
    assert "Olga Outside" not in html
    assert "Safe hold" in html and "CPR" in html
    assert "Pending verification" in html  # status as text, not color alone


def test_not_ready_filter(client, supervisor, people):
    client.force_login(supervisor)
    html = client.get("/matrix/", {"verdict": "not_ready"}).content.decode()
    assert "Nate Notyet" in html
    assert "Rita Ready" not in html
    html = client.get("/matrix/", {"verdict": "ready", "q": "rita"}).content.decode()
    assert "Rita Ready" in html


def test_hr_matrix_shows_everyone_and_filters_by_team(client, hr, people, other_team):
    client.force_login(hr)
    html = client.get("/matrix/").content.decode()
    assert "Olga Outside" in html and "Rita Ready" in html
    html = client.get("/matrix/", {"team": other_team.pk}).content.decode()
    assert "Olga Outside" in html and "Rita Ready" not in html


def test_staff_cannot_open_the_matrix(client, staff):
    client.force_login(staff.user)
    assert client.get("/matrix/").status_code == 403
    assert client.get("/matrix/export.csv").status_code == 403


def without_csrf(response) -> str:
    token = r'name="csrfmiddlewaretoken" value="[^"]+"'
    return re.sub(token, "", response.content.decode())


def forget_kept_tables() -> None:
    from portal.fragments import shared_changed

    shared_changed()  # a new shared version: what was kept is not read


def test_matrix_queries_do_not_grow_with_people(
    client, hr, team, role, fake_requirements, django_assert_max_num_queries
):
    hold = SkillChecklistFactory()
    SkillRequirementFactory(job_role=role, checklist=hold)
    StaffProfileFactory.create_batch(10, team=team, job_role=role)
    client.force_login(hr)
    for url in ("/matrix/", "/matrix/?verdict=not_ready"):
        client.get(url)  # warm caches (time zone, session)
        forget_kept_tables()  # drawn, not read from what the last request kept
        with CaptureQueriesContext(connection) as ten:
            assert client.get(url).status_code == 200
        drawn_for_ten = len(ten)  # each request clears the log
        StaffProfileFactory.create_batch(95, team=team, job_role=role)
        client.get(url)
        forget_kept_tables()
        with django_assert_max_num_queries(drawn_for_ten):
            response = client.get(url)
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as kept:
            again = client.get(url)
        assert without_csrf(again) == without_csrf(response)
        assert len(kept) < drawn_for_ten
    from portal.models import StaffProfile

    assert StaffProfile.objects.count() >= 200


def test_supervisor_csv_never_contains_another_team(client, supervisor, people):
    client.force_login(supervisor)
    response = client.get("/matrix/export.csv")
    assert response.streaming
    rows = csv_rows(response)
    assert rows[0][:2] == ["Employee ID", "Name"]
    names = {r[1] for r in rows[1:]}
    assert names == {"Rita Ready", "Nate Notyet"}
    assert LogEntry.objects.filter(
        actor=supervisor,
        action=LogEntry.Action.ACCESS,
        changes_text__contains="team matrix CSV",
    ).exists()
    creds = csv_rows(client.get("/compliance/credentials.csv"))
    assert {r[1] for r in creds[1:]} == {"Rita Ready", "Nate Notyet"}
    assert {r[7] for r in creds[1:]} == {"CPR"}


def test_csv_neutralises_formulas(client, hr, team, role, fake_requirements):
    evil = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name='=HYPERLINK("http://x")', last_name=""),
        employee_id="+123",
    )
    fake_requirements.add(
        evil, "cpr", Status.CURRENT, kind="credential", label="@SUM(A1)", detail="-2+3"
    )
    client.force_login(hr)
    rows = csv_rows(client.get("/matrix/export.csv"))
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[0] == "'+123"
    assert row[1].startswith("'=")
    assert row[7] == "'@SUM(A1)"
    assert row[13] == "'-2+3"
    for bad in ("=1", "+1", "-1", "@1", "\t1", "\r1"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Cedar House") == "Cedar House"


def test_training_file_pdf_contains_completions_credentials_and_sign_offs(
    client, supervisor, hr, people
):
    person = people["ready"]
    course = make_course(title="HIPAA and 42 CFR Part 2", attestation=True)
    completion = completion_record(staff=person, course=course.page, score=92)
    attestation_sign(
        staff=person,
        page=course.attestation,
        full_name=person.full_name,
        agreed=True,
        ip="127.0.0.1",
    )
    credential = CredentialFactory(
        staff=person,
        credential_type=CredentialTypeFactory(name="CPR / First Aid", code="cpr-fa"),
        number="AHA-55-1234",
        issuing_body="American Heart Association",
        verification_status="verified",
        verified_by=hr,
        primary_source_note="Checked the eCard online",
    )
    credential_document_add(
        credential=credential, upload=pdf_upload("cpr-card.pdf"), by=hr
    )

    person = people["ready"]
    client.force_login(supervisor)
    response = client.get(
        f"/staff/{person.pk}/training-file.pdf", {"as_of": "2026-03-03"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Table cells wrap lines; compare with whitespace collapsed.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in [
        "Rita Ready",
        "HIPAA and 42 CFR Part 2",
        completion.certificate_code,
        "92",
        course.attestation.title,
        course.attestation.policy_version,
        "CPR / First Aid",
        "AHA-55-1234",
        "Verified",
        "cpr-card.pdf",
        "Safe hold",
        supervisor.get_full_name(),
        "Mar 3, 2026",
    ]:
        assert expected in text, expected
    for page in reader.pages:
        assert "generated" in page.extract_text()
    assert LogEntry.objects.filter(
        actor=supervisor,
        object_pk=str(person.pk),
        changes_text__contains="training file",
    ).exists()


def test_training_file_with_no_records_says_so(client, hr, people):
    client.force_login(hr)
    response = client.get(f"/staff/{people['waiting'].pk}/training-file.pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "No completions on record" in text


def test_training_file_of_another_team_is_404(client, supervisor, people, staff):
    client.force_login(supervisor)
    assert (
        client.get(f"/staff/{people['outsider'].pk}/training-file.pdf").status_code
        == 404
    )
    client.force_login(staff.user)
    assert (
        client.get(f"/staff/{people['ready'].pk}/training-file.pdf").status_code == 404
    )
    assert client.get(f"/staff/{staff.pk}/training-file.pdf").status_code == 200


def test_person_page_shows_readiness_and_actions(
    client, supervisor, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    person = people["waiting"]
    html = client.get(f"/staff/{person.pk}/").content.decode()
    assert "Readiness today" in html and "Not ready" in html
    assert "Sign off a skill" in html and "Send reminder" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/{person.pk}/remind/")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "Safe hold" in mailoutbox[0].body and "CPR" in mailoutbox[0].body


def test_staff_sees_own_readiness_without_actions(client, people):
    client.force_login(people["waiting"].user)
    html = client.get(f"/staff/{people['waiting'].pk}/").content.decode()
    assert "Readiness today" in html
    assert "Sign off a skill" not in html and "Send reminder" not in html


def test_supervisor_home_panel_links_to_the_matrix(client, supervisor, people):
    client.force_login(supervisor)
    html = client.get("/").content.decode()
    assert "Your teams today" in html and "/matrix/?verdict=not_ready" in html


def test_dashboard_for_hr_only(client, hr, supervisor, people):
    client.force_login(supervisor)
    assert client.get("/compliance/").status_code == 403
    client.force_login(hr)
    html = client.get("/compliance/").content.decode()
    assert "<svg" in html and "By site" in html
    assert "Pending verification" in html
    # Nate was hired 2026-01-05 (factory): not new by now, so check the as-of view.
    as_of = as_written(dt.date(2026, 2, 1))  # where the factory dates are today
    html = client.get("/compliance/", {"as_of": as_of.isoformat()}).content.decode()
    assert "Nate Notyet" in html


# --- Counting and filtering the matrix ---------------------------------------------


def test_home_panel_and_matrix_count_the_same_people(
    client, team, other_team, supervisor, fake_requirements
):
    StaffProfileFactory.create_batch(3, team=team)
    # The supervisor is on staff, but on a team she does not supervise.
    StaffProfileFactory(user=supervisor, team=other_team)
    client.force_login(supervisor)
    home = client.get("/").content.decode()
    matrix = client.get("/matrix/").content.decode()
    assert '<dt>People</dt><dd><a href="/matrix/">3</a></dd>' in home
    assert "3 people:" in matrix


def test_matrix_overall_counts_cover_every_page(client, hr, team, fake_requirements):
    people = StaffProfileFactory.create_batch(12, team=team)
    for person in people[:7]:
        fake_requirements.add(person, "cpr", Status.MISSING, before_first_shift=True)
    client.force_login(hr)
    html = client.get("/matrix/", {"per_page": 10}).content.decode()
    assert "12 people: 5 ready for the floor, 5 fully compliant." in html
    assert "This page:" in html and "Totals (this page)" in html
    assert '<option value="10" selected>' in html


def test_supervisor_filter_choices_and_bad_values(
    client, team, other_team, supervisor, fake_requirements
):
    StaffProfileFactory(team=team, user=UserFactory(first_name="Mine", last_name="A"))
    client.force_login(supervisor)
    html = client.get("/matrix/").content.decode()
    assert team.site.name in html and team.program.name in html
    assert other_team.site.name not in html
    assert other_team.program.name not in html
    assert other_team.name not in html
    html = client.get(
        "/matrix/", {"team": 999, "as_of": "garbage", "site": other_team.site.pk}
    ).content.decode()
    assert "Some filters were not understood" in html
    assert "There is no such team among yours." in html
    assert "There is no such site among yours." in html
    assert "Enter the date as YYYY-MM-DD" in html
    assert "Mine A" in html  # the valid rest still applies


@pytest.mark.parametrize(
    ("as_of", "verdict", "expected"),
    [
        (None, "not_ready", {"Nate Notyet"}),
        # Before Rita's sign-off (observed today) nobody was ready.
        (dt.date(2026, 6, 1), "ready", set()),
    ],
    ids=["today", "past"],
)
def test_a_bad_filter_shows_its_error_and_the_valid_ones_still_apply(
    client, supervisor, people, as_of, verdict, expected
):
    """Today the verdict is read from the readiness store, on a past date from
    the roll-up; either way a bad team and sort leave the status filter on, on
    the page and in both CSVs."""
    client.force_login(supervisor)
    query = {"team": 999, "sort": "sideways", "verdict": verdict}
    if as_of:
        query["as_of"] = as_written(as_of).isoformat()
    html = client.get("/matrix/", query).content.decode()
    assert "There is no such team among yours." in html
    assert "Sort: Select a valid choice" in html
    for name in ("Nate Notyet", "Rita Ready"):
        assert (name in html) == (name in expected)
    for url in ("/matrix/export.csv", "/compliance/credentials.csv"):
        rows = csv_rows(client.get(url, query))
        assert {row[1] for row in rows[1:]} == expected


def test_matrix_filters_fold_under_a_summary(client, hr, team, fake_requirements):
    StaffProfileFactory(team=team)
    client.force_login(hr)
    html = client.get("/matrix/", {"q": "x", "verdict": "ready"}).content.decode()
    assert '<details class="card matrix-filters"' in html
    assert "<summary>Filters (2 active)</summary>" in html


def test_a_large_unfiltered_matrix_counts_the_page_and_points_to_the_dashboard(
    client, hr, team, monkeypatch
):
    from compliance import selectors as compliance_selectors

    monkeypatch.setattr(compliance_selectors, "OVERALL_COUNT_LIMIT", 2)
    StaffProfileFactory.create_batch(3, team=team)
    client.force_login(hr)
    page = client.get("/matrix/").content.decode()
    assert "3 people." in page
    assert "Agency-wide rates are on the" in page
    assert 'href="/compliance/"' in page
    # A verdict filter still counts everyone it matches.
    filtered = client.get("/matrix/", {"verdict": "not_ready"}).content.decode()
    assert "Agency-wide rates are on the" not in filtered


# --- A reminder sent from a person's page --------------------------------------------


@pytest.fixture
def jordan(team, fake_requirements):
    role = JobRoleFactory(name="Treatment Technician", code="tt")
    hold = SkillChecklistFactory(name="Safe hold")
    SkillRequirementFactory(job_role=role, checklist=hold)
    person = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Jordan", last_name="Blake"),
    )
    fake_requirements.add(
        person, "cpr", Status.MISSING, kind="credential", label="CPR / First Aid"
    )
    fake_requirements.add(
        person, "tb", Status.PENDING, kind="credential", label="TB test"
    )
    fake_requirements.add(
        person,
        "hipaa",
        Status.EXPIRING,
        kind="course",
        label="HIPAA",
        expires_on=dt.date(2026, 12, 6),
    )
    fake_requirements.add(person, "ok", Status.CURRENT, kind="course", label="Intro")
    return person


def test_second_reminder_within_12_hours_is_refused(
    client, supervisor, jordan, mailoutbox, django_capture_on_commit_callbacks
):
    supervisor.first_name, supervisor.last_name = "Sofia", "Marsh"
    supervisor.save()
    # Hired well before this test's own clock, whatever the suite's clock says.
    StaffProfile.objects.filter(pk=jordan.pk).update(hire_date=dt.date(2026, 1, 5))
    client.force_login(supervisor)
    with time_machine.travel(
        dt.datetime(2026, 11, 25, 15, 42, tzinfo=dt.UTC), tick=False
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/staff/{jordan.pk}/remind/")
            response = client.post(f"/staff/{jordan.pk}/remind/", follow=True)
    assert len(mailoutbox) == 1
    html = response.content.decode()
    assert "Jordan Blake was already reminded at" in html
    assert "by Sofia Marsh; try again after" in html
    with time_machine.travel(
        dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC), tick=False
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/staff/{jordan.pk}/remind/")
    assert len(mailoutbox) == 2


def test_reminder_email_is_readable(
    client, supervisor, jordan, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/{jordan.pk}/remind/")
    body = mailoutbox[0].body
    act, waiting = body.split("Waiting on others")
    assert "What you can do (2 items):" in act
    assert "- CPR / First Aid — missing" in act
    assert "- HIPAA — expires Dec 6, 2026" in act
    assert "TB test" not in act and "Safe hold" not in act
    assert "- TB test — uploaded, waiting for verification" in waiting
    assert "- Safe hold — missing, needs a sign-off" in waiting
    assert "Intro" not in body
    assert "(s)" not in body and "&" not in body
