"""Records an auditor relies on cannot vanish quietly: quiz attempts are audited,
the CMS refuses to delete a quiz page or a person with records, and PostgreSQL
itself refuses changes to completions, attestations and sign-offs."""

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, connection, transaction

from courses.models import Completion, QuizAttempt
from courses.services import completion_record
from portal.models import StaffProfile
from portal.roles import Role
from tests.courses.factories import make_course
from tests.factories import UserFactory, make_supervisor
from tests.skills.factories import SkillChecklistFactory, make_signoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)


def test_quiz_attempts_are_audited(staff):
    course = make_course(title="Audited course")
    attempt = QuizAttempt.objects.create(staff=staff, quiz=course.quiz)
    attempt.score = 90
    attempt.save()
    entries = LogEntry.objects.get_for_object(attempt)
    assert entries.count() == 2
    assert "score" in entries.first().changes_dict


def test_the_cms_refuses_to_delete_a_quiz_page_with_attempts(client, staff, admin):
    course = make_course(title="Kept course")
    QuizAttempt.objects.create(staff=staff, quiz=course.quiz, score=40)
    client.force_login(admin)
    response = client.post(f"/cms/pages/{course.quiz.pk}/delete/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be deleted" in page and "1 quiz attempts" in page
    assert QuizAttempt.objects.filter(quiz=course.quiz).count() == 1
    # The course above it, with the quiz inside, is refused too.
    response = client.post(f"/cms/pages/{course.page.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_the_cms_refuses_to_delete_a_person_with_records(client, staff, admin):
    course = make_course(title="Done course")
    completion_record(staff=staff, course=course.page, score=90)
    client.force_login(admin)
    response = client.post(f"/cms/staffprofile/delete/{staff.pk}/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be deleted" in page and "Terminated" in page
    assert StaffProfile.objects.filter(pk=staff.pk).exists()
    assert Completion.objects.filter(staff=staff).count() == 1


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger is PostgreSQL's; SQLite has only the Python checks",
)


@postgres_only
def test_postgresql_refuses_base_manager_updates_and_deletes_of_records(staff, team):
    course = make_course(title="Immutable course")
    completion = completion_record(staff=staff, course=course.page, score=90)
    signoff = make_signoff(
        staff=staff,
        checklist=SkillChecklistFactory(),
        signed_by=make_supervisor(team),
    )
    for model, pk, change in (
        (Completion, completion.pk, {"score": 10}),
        (type(signoff), signoff.pk, {"notes": "changed later"}),
    ):
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**change)
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE id = %s", [pk]
                )
    assert Completion.objects.filter(pk=completion.pk, score=90).exists()
