"""Many presses of "Start the quiz" or "Sign" at the same moment: one open attempt,
one signature. Runs on PostgreSQL (real concurrent transactions); SQLite
serialises writers anyway, so it is skipped there."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from courses.models import Attestation, QuizAttempt
from courses.services import attestation_sign, quiz_attempt_start
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at_once(count: int, action: Callable[[], object]) -> list[object]:
    """Run ``action`` in ``count`` threads released together; their results."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_eight_presses_of_start_the_quiz_make_one_open_attempt():
    course = make_course()
    staff = StaffProfileFactory()
    for _ in range(3):
        attempts = at_once(8, lambda: quiz_attempt_start(staff=staff, quiz=course.quiz))
        assert len({a.pk for a in attempts}) == 1
        assert QuizAttempt.objects.open().filter(staff=staff).count() == 1
        QuizAttempt.objects.all().update(abandoned_at="2026-12-01T00:00Z")


def test_ten_presses_of_sign_record_one_signature_and_the_rest_say_already_signed():
    course = make_course(attestation=True)
    staff = StaffProfileFactory(user__first_name="Ana", user__last_name="Reyes")
    signatures = at_once(
        10,
        lambda: attestation_sign(
            staff=staff,
            page=course.attestation,
            full_name="Ana Reyes",
            agreed=True,
            ip=None,
        ),
    )
    assert Attestation.objects.filter(staff=staff).count() == 1
    assert len({s.pk for s in signatures}) == 1
    assert sorted(s.already_signed for s in signatures) == [False] + [True] * 9
