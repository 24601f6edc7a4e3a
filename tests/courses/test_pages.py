"""The page tree, versions, immutable completions and the starter content."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from wagtail.models import Page, Revision

from courses.course_files import course_file_paths, read_course_files
from courses.models import (
    Attestation,
    AttestationPage,
    Completion,
    CoursePage,
    LessonPage,
    QuizPage,
    TrainingLibraryPage,
)
from courses.services import attestation_sign, completion_record
from courses.starter_loader import library_page, load_starter_courses
from tests.courses.factories import make_course

pytestmark = pytest.mark.django_db


def test_page_tree_rules():
    course = make_course(attestation=True)
    library = library_page()
    root = Page.get_first_root_node().get_children().first()
    assert CoursePage.can_create_at(library)
    assert not CoursePage.can_create_at(root)
    assert not CoursePage.can_create_at(course.page)
    assert LessonPage.can_create_at(course.page)
    assert not LessonPage.can_create_at(library)
    assert not LessonPage.can_create_at(course.lessons[0])
    # One quiz and one attestation per course.
    assert not QuizPage.can_create_at(course.page)
    assert not AttestationPage.can_create_at(course.page)
    assert QuizPage.can_create_at(make_course(attestation=False).page) is False
    other = CoursePage(title="Empty", slug="empty", summary="x")
    library.add_child(instance=other)
    assert QuizPage.can_create_at(other) and AttestationPage.can_create_at(other)
    # Only one library.
    assert not TrainingLibraryPage.can_create_at(root)
    assert set(CoursePage.allowed_subpage_models()) == {
        LessonPage,
        QuizPage,
        AttestationPage,
    }


def test_course_edited_after_completion_leaves_the_completion_unchanged(staff):
    course = make_course(title="Crisis prevention", ce_hours=2)
    page = course.page
    page.version = 1
    page.save()
    completion = completion_record(staff=staff, course=page, score=85)
    # An author publishes a substantive change with a new title.
    page = CoursePage.objects.get(pk=page.pk)
    page.title = "Crisis prevention and de-escalation (2027)"
    page.ce_hours = 3
    page.substantive_change = True
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.version == 2 and page.substantive_change is False
    completion.refresh_from_db()
    assert completion.course_title == "Crisis prevention"
    assert completion.course_version == 1
    assert completion.score == 85
    assert str(completion.ce_hours) == "2.0"


def test_version_only_moves_on_substantive_change():
    page = CoursePage.objects.get(pk=make_course().page.pk)
    page.summary = "Typo fixed."
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.version == 1
    page.substantive_change = True
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert page.version == 2
    # The next edit starts unticked, and republishing an old revision keeps v2.
    assert page.get_latest_revision_as_object().substantive_change is False
    first = Revision.objects.filter(object_id=str(page.pk)).order_by("pk").first()
    first.publish()
    page.refresh_from_db()
    assert page.version == 2


def test_completions_and_attestations_cannot_be_changed_or_deleted(staff):
    course = make_course(attestation=True)
    completion = completion_record(staff=staff, course=course.page, score=90)
    assert LogEntry.objects.get_for_object(completion).exists()
    completion.score = 100
    with pytest.raises(ValidationError):
        completion.save()
    with pytest.raises(ValidationError):
        completion.delete()
    with pytest.raises(ValidationError):
        Completion.objects.filter(pk=completion.pk).update(score=100)
    with pytest.raises(ValidationError):
        Completion.objects.all().delete()
    staff.user.first_name, staff.user.last_name = "Ana", "Reyes"
    staff.user.save()
    signed = attestation_sign(
        staff=staff,
        page=course.attestation,
        full_name="ana  reyes",
        agreed=True,
        ip=None,
    )
    with pytest.raises(ValidationError):
        signed.delete()
    assert Completion.objects.get().score == 90
    assert Attestation.objects.count() == 1


def test_starter_courses_load_completely_and_idempotently():
    courses = load_starter_courses()
    assert [c.slug for c in courses] == [c["slug"] for c in read_course_files()]
    pages, revisions = Page.objects.count(), Revision.objects.count()
    again = load_starter_courses()
    assert [c.pk for c in again] == [c.pk for c in courses]
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions  # nothing republished
    for course in again:
        course = CoursePage.objects.get(pk=course.pk)
        assert course.version == 1
        objectives = {b.value["key"] for b in course.objectives}
        assert len(course.lessons()) >= 3
        quiz = course.quiz()
        assert len(quiz.questions) >= 10
        assert {b.value["objective"] for b in quiz.questions} <= objectives
        assert len(course.sources) >= 1
    hipaa = CoursePage.objects.get(slug="hipaa-part2")
    assert hipaa.attestation_page().policy_version == "2026.1"
    assert set(hipaa.tags.names()) >= {"hipaa"}


def test_course_page_renders_for_a_learner(client, staff):
    load_starter_courses()
    client.force_login(staff.user)
    course = CoursePage.objects.get(slug="crisis-prevention")
    body = client.get(course.url).content.decode()
    assert "Learning objectives" in body and "Sources" in body
    assert "Start the course" in body
    lesson = course.lessons().first()
    body = client.get(lesson.url).content.decode()
    assert "Mark this lesson complete" in body
    assert "Key point" in body and "Case vignette" in body
    quiz = client.get(course.quiz().url)
    assert quiz.status_code == 200


def test_learn_pages_need_a_login(client):
    course = make_course()
    response = client.get(course.page.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _png() -> bytes:
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_lesson_with_image_and_document_renders_alt_text(client, staff):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(
        title="Unit layout", file=ContentFile(_png(), name="unit.png")
    )
    document = get_document_model().objects.create(
        title="Restraint policy", file=ContentFile(b"%PDF-1.4", name="policy.pdf")
    )
    course = make_course(lessons=1)
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    lesson.body = [
        (
            "image",
            {"image": image, "decorative": False, "alt_text": "Map of the unit"},
        ),
        ("document", document),
    ]
    lesson.save()
    client.force_login(staff.user)
    body = client.get(lesson.url).content.decode()
    assert 'alt="Map of the unit"' in body
    assert "Restraint policy" in body


def test_previewing_a_quiz_records_nothing(client, staff):
    from courses.models import QuizAttempt

    course = make_course(attestation=True)
    staff.user.is_superuser = True
    staff.user.is_staff = True
    staff.user.save()
    client.force_login(staff.user)
    response = client.get(f"/cms/pages/{course.quiz.pk}/view_draft/")
    assert response.status_code == 200
    assert "Preview: answers are not recorded." in response.content.decode()
    assert not QuizAttempt.objects.exists()
    response = client.get(f"/cms/pages/{course.attestation.pk}/view_draft/")
    assert response.status_code == 200
    assert "I will protect client information." in response.content.decode()


def test_load_starter_courses_command():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_starter_courses", stdout=out)
    call_command("load_starter_courses", stdout=out)
    assert CoursePage.objects.count() == len(course_file_paths())
    assert "Starter courses loaded." in out.getvalue()


def test_deleting_a_course_keeps_its_completions(staff):
    course = make_course(title="Old course")
    completion = completion_record(staff=staff, course=course.page, score=77)
    with pytest.raises(ProtectedError):
        CoursePage.objects.get(pk=course.page.pk).delete()
    completion = Completion.objects.get(pk=completion.pk)
    assert completion.course_id == course.page.pk
    assert (completion.course_title, completion.score) == ("Old course", 77)


def test_signing_the_same_policy_version_twice_records_one_signature(client, staff):
    course = make_course(attestation=True)
    staff.user.first_name, staff.user.last_name = "Ana", "Reyes"
    staff.user.save()
    client.force_login(staff.user)
    form = {"full_name": "Ana Reyes", "agree": "on"}
    first = client.post(course.attestation.url, form, follow=True)
    assert "Thank you. Your signature is recorded." in first.content.decode()
    again = client.post(course.attestation.url, form, follow=True)
    assert "You have already signed this version of the policy." in (
        again.content.decode()
    )
    assert Attestation.objects.filter(staff=staff).count() == 1
