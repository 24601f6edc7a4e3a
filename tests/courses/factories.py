"""Builders for training content and records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from courses.models import (
    AttestationPage,
    CoursePage,
    CourseRequirement,
    LessonPage,
    QuizPage,
)
from courses.starter_loader import library_page


@dataclass
class Course:
    page: CoursePage
    lessons: list[LessonPage]
    quiz: QuizPage
    attestation: AttestationPage | None

    @property
    def questions(self):
        return list(self.quiz.questions)


def _choices(*specs):
    return [
        {"text": text, "correct": correct, "feedback": f"Feedback on {text}"}
        for text, correct in specs
    ]


# Question 1 single (right: index 1), 2 multiple (right: 0 and 2), 3 true/false
# (right: index 0 "True"), 4 and 5 single (right: index 0).
QUESTIONS = [
    (
        "single",
        {
            "prompt": "Which is PHI?",
            "objective": "O1",
            "choices": _choices(("Staff rota", False), ("Sign-in sheet", True)),
        },
    ),
    (
        "multiple",
        {
            "prompt": "Select all early warning signs.",
            "objective": "O2",
            "choices": _choices(
                ("Pacing", True), ("Laughing", False), ("Glaring", True)
            ),
        },
    ),
    (
        "true_false",
        {
            "prompt": "You may share your password with a float.",
            "objective": "O2",
            "choices": _choices(("True", False), ("False", True)),
        },
    ),
    (
        "single",
        {
            "prompt": "Who do you report a breach to?",
            "objective": "O3",
            "choices": _choices(("Privacy officer", True), ("Nobody", False)),
        },
    ),
    (
        "single",
        {
            "prompt": "Minimum necessary means?",
            "objective": "O1",
            "choices": _choices(("What the task needs", True), ("Everything", False)),
        },
    ),
]
# index lists of the right answers, in QUESTIONS order
RIGHT = [["1"], ["0", "2"], ["1"], ["0"], ["0"]]
WRONG = [["0"], ["0"], ["0"], ["1"], ["1"]]

_counter = [0]


def make_course(
    *,
    title: str = "",
    lessons: int = 2,
    attestation: bool = False,
    pass_mark: int = 80,
    attempts_allowed: int = 3,
    shuffle: bool = False,
    retrain_months: int | None = 12,
    ce_hours=None,
) -> Course:
    _counter[0] += 1
    n = _counter[0]
    library = library_page()
    course = CoursePage(
        title=title or f"Course {n}",
        slug=f"course-{n}",
        summary="What this course is about.",
        estimated_minutes=30,
        retrain_months=retrain_months,
        ce_hours=ce_hours,
        objectives=[
            ("objective", {"key": "O1", "text": "Know what PHI is."}),
            ("objective", {"key": "O2", "text": "Spot warning signs."}),
            ("objective", {"key": "O3", "text": "Report breaches."}),
        ],
    )
    library.add_child(instance=course)
    pages = []
    for i in range(lessons):
        lesson = LessonPage(
            title=f"Lesson {i + 1}",
            slug=f"lesson-{i + 1}",
            body=[
                ("heading", "A heading"),
                ("paragraph", "<p>Some text.</p>"),
                ("key_point", "Remember this."),
                ("vignette", {"scenario": "A scenario.", "question": "Reflect?"}),
                (
                    "check",
                    {
                        "question": "Check?",
                        "choices": ["A", "B"],
                        "answer": 0,
                        "explanation": "Because.",
                    },
                ),
            ],
        )
        course.add_child(instance=lesson)
        pages.append(lesson)
    quiz = QuizPage(
        title="Quiz",
        slug="quiz",
        pass_mark=pass_mark,
        attempts_allowed=attempts_allowed,
        shuffle=shuffle,
        questions=QUESTIONS,
    )
    course.add_child(instance=quiz)
    quiz = QuizPage.objects.get(pk=quiz.pk)  # block ids as stored
    att = None
    if attestation:
        att = AttestationPage(
            title="Confidentiality attestation",
            slug="attestation",
            policy_version="2026.1",
            body="<p>I will protect client information.</p>",
            statement="I have read and understand the policy.",
        )
        course.add_child(instance=att)
    return Course(course, pages, quiz, att)


def require(
    course: Course,
    job_role=None,
    *,
    days=None,
    before_first_shift=False,
    goal=False,
    program=None,
    site=None,
):
    if before_first_shift:
        rule = CourseRequirement.DueRule.BEFORE_FIRST_SHIFT
    elif goal:
        rule = CourseRequirement.DueRule.GOAL
    else:
        rule = CourseRequirement.DueRule.WITHIN_DAYS
    return CourseRequirement.objects.create(
        job_role=job_role,
        program=program,
        site=site,
        course=course.page,
        due_within_days=days,
        due_rule=rule,
    )


def answers_for(course: Course, picks: list[list[str]]) -> dict[str, list[str]]:
    """POST-style answers: picks given in QUESTIONS order."""
    return {block.id: pick for block, pick in zip(course.questions, picks, strict=True)}


def post_data(course: Course, attempt_id, picks) -> dict:
    data = {"attempt": str(attempt_id)}
    for qid, pick in answers_for(course, picks).items():
        data[f"q-{qid}"] = pick
    return data


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    from portal.dates import start_of_day

    return start_of_day(day) + dt.timedelta(hours=hour)


def start_quiz(client, quiz):
    """Press "Start the quiz" (a POST) and follow the redirect to the attempt;
    returns the page showing it (``.context["attempt"]`` is the attempt)."""
    response = client.post(quiz.url, {"start": "1"})
    assert response.status_code == 302 and response["Location"] == quiz.url
    return client.get(response["Location"])
