"""Adding the one-open-attempt constraint to a database that already holds several
open attempts of one person at one quiz: the earliest stays open, the others are
closed as abandoned and kept (attempts are audited, never deleted)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory

BEFORE = [("courses", "0007_completions_and_signatures_protect_their_page")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_duplicate_open_attempts_are_closed_as_abandoned_not_deleted():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    course = make_course()
    staff = StaffProfileFactory()
    old = _migrate(BEFORE)
    attempt_model = old.get_model("courses", "QuizAttempt")
    first, *later = [
        attempt_model.objects.create(
            staff_id=staff.pk, quiz_id=course.quiz.pk, question_ids=[]
        )
        for _ in range(3)
    ]
    _migrate(latest)

    from courses.models import QuizAttempt

    assert QuizAttempt.objects.count() == 3
    assert list(QuizAttempt.objects.open().values_list("pk", flat=True)) == [first.pk]
    abandoned = QuizAttempt.objects.filter(abandoned_at__isnull=False)
    assert sorted(abandoned.values_list("pk", flat=True)) == [a.pk for a in later]
