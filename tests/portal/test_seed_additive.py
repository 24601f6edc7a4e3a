"""Re-running set-up changes nothing the agency made: the starter courses are only
created when missing, and the demo loader touches only its own people."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
import yaml
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.models import Page, Revision

from courses import starter_loader
from courses.course_files import STARTER_DIR
from courses.models import Completion, CoursePage, LessonPage, QuizPage
from portal.models import JobRole, StaffProfile, Team, User
from skills.models import SkillChecklist, SkillSignOff

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
TODAY = NOON.date()
SKIPPED = {"portal.Heartbeat"}


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def _dump() -> dict[str, list]:
    """Every row of every table the portal and the CMS pages keep."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in SKIPPED or model._meta.app_label not in {
            "portal",
            "courses",
            "credentials",
            "skills",
            "compliance",
            "auth",
            "wagtailcore",
            "taggit",
            "auditlog",
        }:
            continue
        out[label] = list(model.objects.order_by("pk").values())
    return out


def _seed():
    call_command("seed_demo", "--quiet", stdout=io.StringIO())


def _author_edits_the_course(author) -> tuple[str, str]:
    """What the CMS does when an author edits a lesson and adds a quiz question,
    then publishes."""
    course = CoursePage.objects.get(slug="crisis-prevention")
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    lesson = lesson.get_latest_revision_as_object()
    body = list(lesson.body.raw_data)
    text = "<p>Our agency's own de-escalation rule: two staff, always.</p>"
    body.insert(0, {"type": "paragraph", "value": text, "id": "agency-own-1"})
    lesson.body = body
    lesson.save_revision(user=author).publish(user=author)
    quiz = QuizPage.objects.child_of(course).get().get_latest_revision_as_object()
    prompt = "Which agency form records a hold?"
    quiz.questions = [
        *quiz.questions.raw_data,
        {
            "type": "single",
            "id": "agency-own-2",
            "value": {
                "prompt": prompt,
                "objective": "",
                "choices": [
                    {"text": "Form 12", "correct": True, "feedback": ""},
                    {"text": "Form 7", "correct": False, "feedback": ""},
                ],
            },
        },
    ]
    quiz.save_revision(user=author).publish(user=author)
    return text, prompt


def test_running_the_loaders_again_changes_nothing_the_agency_made(
    client, clock, django_capture_on_commit_callbacks
):
    _seed()
    hr = User.objects.get(email="hr@demo.milieu.local")
    supervisor = User.objects.get(email="supervisor1@demo.milieu.local")
    author = User.objects.get(email="author@demo.milieu.local")
    lesson_text, question = _author_edits_the_course(author)

    # HR adds a person through the UI, hired next week, into a demo team.
    client.force_login(hr)
    tech = JobRole.objects.get(code="treatment-technician")
    cedar = Team.objects.get(name="Cedar House")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/add/",
            {
                "first_name": "Dana",
                "last_name": "Okafor",
                "email": "dana.okafor@example.org",
                "employee_id": "A-1",
                "job_role": tech.pk,
                "team": cedar.pk,
                "hire_date": (TODAY + dt.timedelta(days=7)).isoformat(),
                "roles": ["Staff"],
            },
        )
    assert response.status_code == 302
    # ... and imports two more from the HR system's CSV.
    csv = (
        "employee_id,name,email,job_role,team,hire_date\n"
        "A-2,Ana Lima,ana@example.org,treatment-technician,Maple House,2026-11-02\n"
        "A-3,Ben Brooks,ben@example.org,treatment-technician,Cedar House,2026-10-01\n"
    )
    preview = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", csv.encode(), "text/csv")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/staff/import/", {"confirm": "1", "payload": preview.context["payload"]}
        )
    agency_people = StaffProfile.objects.filter(employee_id__startswith="A-")
    assert agency_people.count() == 3

    # A supervisor signs off a skill for one of them.
    ben = StaffProfile.objects.get(employee_id="A-3")
    checklist = SkillChecklist.objects.get(name="Vital signs")
    client.force_login(supervisor)
    data = {
        "checklist": checklist.pk,
        "observed_on": TODAY.isoformat(),
        "signature_name": supervisor.get_full_name(),
    }
    data.update({f"item_{i}": "met" for i in range(checklist.items.count())})
    response = client.post(f"/staff/{ben.pk}/skills/sign-off/", data)
    assert response.status_code == 302

    before = _dump()
    for _ in range(2):
        _seed()
        call_command("load_starter_courses", stdout=io.StringIO())
    after = _dump()
    for label in before:
        assert after[label] == before[label], f"{label} changed"

    # What that means for a person: the edits are live, the version is unchanged,
    # and the people the agency added have no invented records.
    course = CoursePage.objects.get(slug="crisis-prevention")
    assert course.version == 1
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    assert "two staff, always" in str(lesson.body)
    quiz = QuizPage.objects.child_of(course).get()
    assert question in [b.value["prompt"] for b in quiz.questions]
    assert not Completion.objects.filter(staff__in=agency_people).exists()
    assert list(
        SkillSignOff.objects.filter(staff__in=agency_people).values_list(
            "staff__employee_id", flat=True
        )
    ) == ["A-3"]
    assert not SkillSignOff.objects.filter(observed_on__gt=TODAY).exists()
    assert not Completion.objects.filter(completed_at__gt=NOON).exists()
    assert lesson_text


def test_update_brings_newer_shipped_text_in_as_a_draft(clock, tmp_path):
    starter_loader.load_starter_courses()
    course = CoursePage.objects.get(slug="crisis-prevention")
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    live_body = str(lesson.body)
    # A newer release of the same course file.
    shipped = tmp_path / "starter"
    shipped.mkdir()
    source = shipped / "crisis-prevention.yaml"
    data = yaml.safe_load((STARTER_DIR / "crisis-prevention.yaml").read_text())
    data["lessons"][0]["title"] = "Why de-escalation comes first (revised)"
    data["lessons"].append(
        {
            "title": "A new shipped lesson",
            "intro": "New.",
            "body": [{"type": "key_point", "value": "New."}],
        }
    )
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    # without --update: nothing at all
    starter_loader.load_starter_courses(directory=shipped)
    assert Revision.objects.filter(object_id=str(lesson.pk)).count() == 1
    pages = Page.objects.count()
    assert pages == Page.objects.count()

    call_command(
        "load_starter_courses",
        "--update",
        "--directory",
        str(shipped),
        stdout=io.StringIO(),
    )
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title != "Why de-escalation comes first (revised)"  # live as was
    assert str(lesson.body) == live_body
    assert lesson.has_unpublished_changes
    draft = lesson.get_latest_revision_as_object()
    assert draft.title == "Why de-escalation comes first (revised)"
    added = LessonPage.objects.child_of(course).get(title="A new shipped lesson")
    assert not added.live  # a draft for an author to publish
    assert CoursePage.objects.get(pk=course.pk).version == 1
    revisions = Revision.objects.count()

    call_command(
        "load_starter_courses",
        "--update",
        "--directory",
        str(shipped),
        stdout=io.StringIO(),
    )
    assert Revision.objects.count() == revisions  # the same draft is not made twice
