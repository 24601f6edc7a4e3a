"""Quizzes that measure knowledge: no answers after a failed attempt, choices
shuffled per attempt, question pools, and a stored record of what was shown."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import QuizAttempt, QuizPage
from courses.services import quiz_attempt_start
from tests.courses.factories import RIGHT, WRONG, make_course, post_data, start_quiz

pytestmark = pytest.mark.django_db

# The text of every right answer in the factory's quiz (except "True"/"False").
RIGHT_TEXTS = ["Sign-in sheet", "Pacing", "Glaring", "Privacy officer", "What the"]
CHOICE = re.compile(r'name="q-([^"]+)" value="(\d+)"> ([^<]+)</label>')


def _configure(course, **fields):
    QuizPage.objects.filter(pk=course.quiz.pk).update(**fields)
    course.quiz.refresh_from_db()
    return course


def _shown_on(html: str) -> list[tuple[str, int, str]]:
    """(question id, choice index, choice text) in the order the page shows them."""
    return [(q, int(i), t.strip()) for q, i, t in CHOICE.findall(html)]


def _take(client, course, picks):
    page = start_quiz(client, course.quiz)
    attempt = page.context["attempt"]
    return page, client.post(course.quiz.url, post_data(course, attempt.pk, picks))


def test_a_failed_attempt_names_the_questions_and_objectives_not_the_answers(
    client, staff
):
    course = make_course()
    client.force_login(staff.user)
    _, result = _take(client, course, WRONG)
    body = result.content.decode()
    assert "Not passed" in body and "Wrong" in body
    assert "Review objective <strong>O1</strong>: Know what PHI is." in body
    assert "Spot warning signs." in body and "Report breaches." in body
    for text in RIGHT_TEXTS:
        assert text not in body
    assert "Correct answer" not in body and "Feedback on" not in body
    assert "The right answers are shown once you pass" in body


def test_answers_are_revealed_after_a_pass(client, staff):
    course = make_course()
    client.force_login(staff.user)
    picks = [list(p) for p in RIGHT]
    picks[4] = ["1"]
    _, result = _take(client, course, picks)
    body = result.content.decode()
    assert "Passed" in body and "Correct answer: <strong>What the task needs" in body
    assert "Feedback on Everything" in body


@pytest.mark.parametrize(("reveal", "shown"), [("final", True), ("passed", False)])
def test_last_failed_attempt_reveals_answers_only_if_the_quiz_says_so(
    client, staff, reveal, shown
):
    course = _configure(make_course(attempts_allowed=1), reveal_answers=reveal)
    client.force_login(staff.user)
    _, result = _take(client, course, WRONG)
    body = result.content.decode()
    assert "No attempts left" in body or "no attempts left" in body
    assert ("Correct answer: <strong>Sign-in sheet" in body) is shown


def test_choices_are_shuffled_per_attempt_and_stable_within_one(client, staff):
    course = make_course(attempts_allowed=0)
    quiz = course.quiz
    many = [f"Option {c}" for c in "ABCDEFG"]
    quiz.questions = [
        *quiz.questions.raw_data,
        {
            "type": "single",
            "value": {
                "prompt": "Pick A.",
                "objective": "O1",
                "choices": [
                    {"text": t, "correct": t == "Option A", "feedback": ""}
                    for t in many
                ],
            },
        },
    ]
    quiz.save_revision().publish()
    course.quiz = QuizPage.objects.get(pk=quiz.pk)
    client.force_login(staff.user)
    first = start_quiz(client, course.quiz)
    again = client.get(course.quiz.url)  # a reload continues the same attempt
    assert again.context["attempt"].pk == first.context["attempt"].pk
    assert _shown_on(again.content.decode()) == _shown_on(first.content.decode())
    picks = [*WRONG, ["1"]]
    client.post(
        course.quiz.url, post_data_for(course, first.context["attempt"].pk, picks)
    )
    second = start_quiz(client, course.quiz)
    assert second.context["attempt"].pk != first.context["attempt"].pk
    one, two = _shown_on(first.content.decode()), _shown_on(second.content.decode())
    assert sorted(one) == sorted(two)  # the same questions and choices ...
    assert one != two  # ... in another order
    # The seven-choice question is not in its authored order in either attempt.
    texts = [t for _, _, t in one if t.startswith("Option")]
    assert sorted(texts) == many
    # True/false keeps True before False.
    tf = [t for _, _, t in one if t in ("True", "False")]
    assert tf == ["True", "False"]


def post_data_for(course, attempt_id, picks):
    quiz = QuizPage.objects.get(pk=course.quiz.pk)
    data = {"attempt": str(attempt_id)}
    for block, pick in zip(quiz.questions, picks, strict=True):
        data[f"q-{block.id}"] = pick
    return data


def test_the_stored_snapshot_is_what_the_page_showed(client, staff):
    course = make_course()
    client.force_login(staff.user)
    page = start_quiz(client, course.quiz)
    html = page.content.decode()
    attempt = QuizAttempt.objects.get(pk=page.context["attempt"].pk)
    assert [
        (q["id"], c["index"], c["text"]) for q in attempt.shown for c in q["choices"]
    ] == _shown_on(html)
    prompts = [q["prompt"] for q in attempt.shown]
    assert [p for p in prompts if p in html] == prompts
    positions = [html.index(p) for p in prompts]
    assert positions == sorted(positions)
    assert attempt.question_ids == [q["id"] for q in attempt.shown]


def test_a_pool_draws_n_questions_per_attempt(client, staff):
    course = _configure(make_course(attempts_allowed=0), questions_per_attempt=3)
    drawn = set()
    for _ in range(8):
        attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
        assert len(attempt.question_ids) == 3 and len(attempt.shown) == 3
        drawn.add(tuple(sorted(attempt.question_ids)))
        QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now())
    assert len(drawn) > 1  # not the same three every time
    client.force_login(staff.user)
    page = start_quiz(client, course.quiz)
    assert page.content.decode().count('class="card question') == 3


def test_answers_to_a_question_not_drawn_are_refused(client, staff):
    course = _configure(make_course(), questions_per_attempt=3)
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    data = post_data(course, attempt.pk, RIGHT)  # all five questions
    before = QuizAttempt.objects.values_list("pk", "submitted_at", "score")
    before = list(before)
    response = client.post(course.quiz.url, data)
    assert response.status_code == 400
    assert "not in this quiz" in response.content.decode()
    after = list(QuizAttempt.objects.values_list("pk", "submitted_at", "score"))
    assert after == before


def test_an_answer_to_a_changed_question_is_refused(client, staff):
    course = make_course()
    client.force_login(staff.user)
    attempt = start_quiz(client, course.quiz).context["attempt"]
    quiz = QuizPage.objects.get(pk=course.quiz.pk)
    data = list(quiz.questions.raw_data)
    choice = data[0]["value"]["choices"][1]
    choice = choice.get("value", choice)  # a list item, or the bare value
    choice["text"] = "A sign-in sheet with names"
    quiz.questions = data
    quiz.save()
    response = client.post(course.quiz.url, post_data(course, attempt.pk, RIGHT))
    assert response.status_code == 400
    assert "changed while you were taking it" in response.content.decode()
    assert not QuizAttempt.objects.filter(submitted_at__isnull=False).exists()


def test_a_pool_larger_than_the_quiz_is_refused_in_the_cms(db):
    course = make_course()
    quiz = QuizPage.objects.get(pk=course.quiz.pk)
    quiz.questions_per_attempt = 9
    with pytest.raises(ValidationError, match="has 5 questions; draw at most"):
        quiz.full_clean()
