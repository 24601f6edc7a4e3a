"""Training models: the Wagtail pages (``pages``) and the records learners leave
(``records``). Import them from here: ``from courses.models import CoursePage``."""

from .pages import (
    AttestationPage,
    CoursePage,
    CourseTag,
    LessonPage,
    QuizPage,
    TrainingLibraryPage,
    substantive_change_field,
)
from .records import (
    Assignment,
    Attestation,
    Completion,
    CourseRequirement,
    LessonProgress,
    QuizAttempt,
    QuizReset,
)

__all__ = [
    "Assignment",
    "Attestation",
    "AttestationPage",
    "Completion",
    "CoursePage",
    "CourseRequirement",
    "CourseTag",
    "LessonPage",
    "LessonProgress",
    "QuizAttempt",
    "QuizPage",
    "QuizReset",
    "TrainingLibraryPage",
    "substantive_change_field",
]
