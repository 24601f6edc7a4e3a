"""Quizzes: server-side scoring, the pass mark, attempts, tampering, resets."""

import pytest
from auditlog.models import LogEntry

from courses.models import Completion, QuizAttempt, QuizReset
from courses.services import (
    QuizSubmissionError,
    lesson_mark_complete,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_score,
)
from tests.courses.factories import (
    RIGHT,
    WRONG,
    answers_for,
    make_course,
    post_data,
    start_quiz,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return make_course()


def _score(course, picks, quiz=None):
    quiz = quiz or course.quiz
    return quiz_score(
        quiz=quiz,
        question_ids=[b.id for b in course.questions],
        answers=answers_for(course, picks),
    )


def test_all_right_scores_100(course):
    result = _score(course, RIGHT)
    assert result["score"] == 100 and result["passed"]
    assert result["missed_objectives"] == []


@pytest.mark.parametrize(
    ("index", "pick", "right"),
    [
        (0, ["1"], True),  # single: the right one
        (0, ["0"], False),  # single: a wrong one
        (1, ["0", "2"], True),  # multiple: exactly the right set
        (1, ["0"], False),  # multiple: only some of the right ones
        (1, ["0", "1", "2"], False),  # multiple: the right ones plus a wrong one
        (2, ["1"], True),  # true/false: "False" is right
        (2, ["0"], False),
    ],
)
def test_each_question_type_is_scored_all_or_nothing(course, index, pick, right):
    picks = [list(p) for p in RIGHT]
    picks[index] = pick
    result = _score(course, picks)
    assert result["right"] == (5 if right else 4)


def test_missed_objectives_are_reported_once(course):
    picks = [list(p) for p in RIGHT]
    picks[1] = ["0"]  # O2
    picks[2] = ["0"]  # O2 again
    result = _score(course, picks)
    assert result["missed_objectives"] == ["O2"]


def test_pass_mark_boundary(db):
    course = make_course(pass_mark=80)
    four_of_five = [list(p) for p in RIGHT]
    four_of_five[4] = ["1"]
    assert _score(course, four_of_five) | {} == {
        "right": 4,
        "total": 5,
        "score": 80,
        "passed": True,
        "missed_objectives": ["O1"],
    }
    three_of_five = [list(p) for p in four_of_five]
    three_of_five[3] = ["1"]
    result = _score(course, three_of_five)
    assert result["score"] == 60 and not result["passed"]
    strict = make_course(pass_mark=81)
    assert not _score(strict, four_of_five, quiz=strict.quiz)["passed"]


def _take(client, course, picks, staff=None):
    response = start_quiz(client, course.quiz)
    assert response.status_code == 200
    attempt = response.context["attempt"]
    return client.post(course.quiz.url, post_data(course, attempt.pk, picks))


def test_learner_passes_through_the_page_and_sees_feedback(client, staff, course):
    client.force_login(staff.user)
    picks = [list(p) for p in RIGHT]
    picks[4] = ["1"]
    response = _take(client, course, picks)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Score: 80%" in body and "Passed" in body
    assert "Know what PHI is." in body  # the objective missed
    assert "Feedback on Everything" in body  # per-choice feedback
    attempt = QuizAttempt.objects.get(staff=staff)
    assert attempt.passed and attempt.score == 80


def test_failing_shows_attempts_left(client, staff, course):
    client.force_login(staff.user)
    response = _take(client, course, WRONG)
    body = response.content.decode()
    assert "Not passed" in body and "2 attempts left" in body


def test_attempts_exhausted_blocks_further_attempts(client, staff, db):
    course = make_course(attempts_allowed=2)
    client.force_login(staff.user)
    _take(client, course, WRONG)
    _take(client, course, WRONG)
    response = client.get(course.quiz.url)
    assert "No attempts left" in response.content.decode()
    assert response.context["attempt"] is None
    # Even a hand-made attempt cannot be submitted.
    attempt = QuizAttempt.objects.create(
        staff=staff, quiz=course.quiz, question_ids=[b.id for b in course.questions]
    )
    with pytest.raises(QuizSubmissionError, match="used all your attempts"):
        quiz_attempt_submit(
            staff=staff,
            quiz=course.quiz,
            attempt_id=attempt.pk,
            answers=answers_for(course, RIGHT),
        )
    assert not QuizAttempt.objects.filter(passed=True).exists()


def test_unlimited_attempts(staff, db):
    course = make_course(attempts_allowed=0)
    for _ in range(5):
        attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
        quiz_attempt_submit(
            staff=staff,
            quiz=course.quiz,
            attempt_id=attempt.pk,
            answers=answers_for(course, WRONG),
        )
    assert quiz_attempt_start(staff=staff, quiz=course.quiz).submitted_at is None


def _snapshot():
    return list(
        QuizAttempt.objects.order_by("pk").values_list(
            "pk", "submitted_at", "score", "answers"
        )
    ), Completion.objects.count()


def test_tampered_unknown_choice(client, staff, course):
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    before = _snapshot()
    picks = [list(p) for p in RIGHT]
    picks[0] = ["7"]
    response = client.post(course.quiz.url, post_data(course, attempt.pk, picks))
    assert response.status_code == 400
    assert "not one of its choices" in response.content.decode()
    assert _snapshot() == before


def test_unanswered_questions_are_a_form_error_shown_once_inline(client, staff, course):
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    before = _snapshot()
    data = post_data(course, attempt.pk, RIGHT)
    del data[f"q-{course.questions[3].id}"]
    response = client.post(course.quiz.url, data)
    assert response.status_code == 200  # a person's mistake, not tampering
    body = response.content.decode()
    assert body.count("Answer this question") == 1
    assert "<strong>Error:</strong>" not in body  # not again at the top
    assert f'aria-describedby="q-{course.questions[3].id}-error"' in body
    first = course.questions[0].id
    assert f'name="q-{first}" value="{RIGHT[0][0]}" checked' in body  # answers kept
    assert _snapshot() == before
    assert response.context["attempt"].pk == attempt.pk


def test_empty_submit_marks_every_question_without_a_top_error(client, staff, course):
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    response = client.post(course.quiz.url, {"attempt": attempt.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Answer this question") == len(course.questions)
    assert "<strong>Error:</strong>" not in body
    assert list(response.context["messages"]) == []


def test_tampered_post_is_400_with_the_error_once(client, staff, course):
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    picks = [list(p) for p in RIGHT]
    picks[0] = ["7"]
    response = client.post(course.quiz.url, post_data(course, attempt.pk, picks))
    assert response.status_code == 400
    assert response.content.decode().count("not one of its choices") == 1


def test_passing_offers_the_attestation_as_the_next_step(client, staff, db):
    course = make_course(lessons=1, attestation=True)
    lesson_mark_complete(staff=staff, lesson=course.lessons[0])
    client.force_login(staff.user)
    body = _take(client, course, RIGHT).content.decode()
    assert "Passed" in body
    assert (
        f'<a class="btn" href="{course.attestation.url}">'
        "Next: sign the Confidentiality attestation</a>"
    ) in body
    assert "Download your certificate" not in body


def test_passing_before_the_lessons_offers_the_next_lesson(client, staff, db):
    course = make_course(lessons=2)
    lesson_mark_complete(staff=staff, lesson=course.lessons[0])
    client.force_login(staff.user)
    body = _take(client, course, RIGHT).content.decode()
    assert f'<a class="btn" href="{course.lessons[1].url}">Next: Lesson 2</a>' in body


def test_passing_the_last_step_offers_the_certificate(client, staff, db):
    course = make_course(lessons=1)
    lesson_mark_complete(staff=staff, lesson=course.lessons[0])
    client.force_login(staff.user)
    body = _take(client, course, RIGHT).content.decode()
    completion = Completion.objects.get(staff=staff)
    assert (
        f'<a class="btn" href="/training/certificates/{completion.pk}.pdf">'
        "Download your certificate (PDF)</a>"
    ) in body


def test_tampered_other_learners_attempt(client, staff, course):
    other = StaffProfileFactory()
    theirs = quiz_attempt_start(staff=other, quiz=course.quiz)
    client.force_login(staff.user)
    before = _snapshot()
    response = client.post(course.quiz.url, post_data(course, theirs.pk, RIGHT))
    assert response.status_code == 400
    assert "not an open attempt of yours" in response.content.decode()
    assert _snapshot() == before
    theirs.refresh_from_db()
    assert theirs.submitted_at is None


def test_two_answers_to_a_single_choice_question_is_refused(staff, course):
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    picks = [list(p) for p in RIGHT]
    picks[0] = ["0", "1"]
    with pytest.raises(QuizSubmissionError, match="exactly one answer"):
        quiz_attempt_submit(
            staff=staff,
            quiz=course.quiz,
            attempt_id=attempt.pk,
            answers=answers_for(course, picks),
        )


def test_shuffled_attempts_keep_their_order(staff, db):
    course = make_course(shuffle=True)
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    assert sorted(attempt.question_ids) == sorted(b.id for b in course.questions)
    # Reloading the page continues the same attempt, in the same order.
    assert quiz_attempt_start(staff=staff, quiz=course.quiz).pk == attempt.pk


def test_supervisor_resets_exhausted_quiz_and_it_is_logged(
    client, staff, supervisor, db
):
    course = make_course(attempts_allowed=1)
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(course, WRONG),
    )
    client.force_login(supervisor)
    page = client.get(f"/staff/{staff.pk}/")
    assert "Reset attempts" in page.content.decode()
    response = client.post(
        f"/staff/{staff.pk}/quiz-reset/",
        {"quiz": course.quiz.pk, "reason": "Talked it through; try again"},
    )
    assert response.status_code == 302
    reset = QuizReset.objects.get()
    assert reset.by == supervisor and reset.reason.startswith("Talked")
    assert LogEntry.objects.get_for_object(reset).exists()
    new = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=new.pk,
        answers=answers_for(course, RIGHT),
    )
    assert QuizAttempt.objects.filter(staff=staff, passed=True).exists()


def test_other_teams_supervisor_cannot_reset(client, staff, other_supervisor, db):
    course = make_course(attempts_allowed=1)
    client.force_login(other_supervisor)
    response = client.post(
        f"/staff/{staff.pk}/quiz-reset/", {"quiz": course.quiz.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert not QuizReset.objects.exists()


def test_learner_cannot_reset_own_quiz(client, staff, db):
    course = make_course(attempts_allowed=1)
    client.force_login(staff.user)
    response = client.post(
        f"/staff/{staff.pk}/quiz-reset/", {"quiz": course.quiz.pk, "reason": "x"}
    )
    assert response.status_code == 403
    assert not QuizReset.objects.exists()


def test_passing_the_quiz_after_the_lessons_completes_the_course(staff, db):
    course = make_course(lessons=2)
    for lesson in course.lessons:
        lesson_mark_complete(staff=staff, lesson=lesson)
    assert not Completion.objects.exists()
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(course, RIGHT),
    )
    completion = Completion.objects.get()
    assert completion.score == 100 and completion.course_title == course.page.title


def test_open_attempt_is_replaced_when_the_author_changes_the_questions(staff, db):
    course = make_course()
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz = course.quiz
    quiz.questions = list(quiz.questions.raw_data)[:3]
    quiz.save()
    fresh = quiz_attempt_start(staff=staff, quiz=quiz)
    assert fresh.pk != attempt.pk and len(fresh.question_ids) == 3
    # The old attempt is kept for the record, closed as abandoned.
    assert list(QuizAttempt.objects.open()) == [fresh]
    attempt.refresh_from_db()
    assert attempt.abandoned_at is not None and attempt.submitted_at is None


def test_opening_the_quiz_records_nothing_until_the_learner_starts(
    client, staff, course
):
    client.force_login(staff.user)
    page = client.get(course.quiz.url)
    body = page.content.decode()
    assert page.status_code == 200 and page.context["attempt"] is None
    assert '<button class="btn" type="submit" name="start"' in body
    assert "5 questions; this is attempt 1 of 3." in body
    assert not QuizAttempt.objects.exists()
    assert client.get(course.quiz.url).context["attempt"] is None  # still nothing

    started = start_quiz(client, course.quiz)
    attempt = QuizAttempt.objects.get()
    assert started.context["attempt"] == attempt and "Submit answers" in (
        started.content.decode()
    )
    # A second press (a double click, the back button) keeps the same attempt.
    again = client.post(course.quiz.url, {"start": "1"})
    assert again.status_code == 302
    assert QuizAttempt.objects.get() == attempt
    assert client.get(course.quiz.url).context["attempt"] == attempt


def test_starting_is_refused_once_no_attempts_are_left(client, staff, db):
    course = make_course(attempts_allowed=1)
    client.force_login(staff.user)
    _take(client, course, WRONG)
    response = client.post(course.quiz.url, {"start": "1"}, follow=True)
    assert "No attempts left" in response.content.decode()
    assert QuizAttempt.objects.filter(submitted_at__isnull=True).count() == 0


def test_someone_without_a_staff_record_cannot_start_a_quiz(client, hr, course):
    client.force_login(hr)
    response = client.post(course.quiz.url, {"start": "1"})
    assert response.status_code == 400
    assert "Only staff members can take quizzes." in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_an_attempt_the_author_made_stale_is_started_afresh(client, staff, course):
    client.force_login(staff.user)
    stale = start_quiz(client, course.quiz).context["attempt"]
    quiz = course.quiz
    quiz.questions = list(quiz.questions.raw_data)[:3]
    quiz.save()
    page = client.get(course.quiz.url)
    assert page.context["attempt"] is None  # shown nothing it cannot score
    assert QuizAttempt.objects.get() == stale  # and a GET deleted nothing
    fresh = start_quiz(client, course.quiz).context["attempt"]
    assert fresh.pk != stale.pk and len(fresh.question_ids) == 3
