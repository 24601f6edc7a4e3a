"""How long a course takes, estimated from what it contains: the words a learner
reads at 200 a minute, plus thinking time for each vignette, knowledge check and
quiz question. Agencies may count these minutes toward required training hours,
so the estimate errs short rather than long."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.html import strip_tags

WORDS_PER_MINUTE = 200
MINUTES_PER_VIGNETTE = 2.0  # read, think it through, compare with the model answer
MINUTES_PER_CHECK = 0.5
MINUTES_PER_QUESTION = 0.5
MINUTES_TO_SIGN = 0.5  # an attestation: type a name and agree

# Stream keys that hold no text the learner reads (or reads only sometimes: quiz
# feedback appears after submitting, mostly for the questions missed).
_SKIP_KEYS = {"id", "type", "answer", "correct", "objective", "feedback"}
# Blocks whose time the text cannot show; an author sets an override for those.
_SKIP_BLOCKS = {"image", "video", "document"}
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@dataclass(frozen=True)
class DurationEstimate:
    """The content a course's time is estimated from, and the minutes."""

    words: int = 0
    vignettes: int = 0
    checks: int = 0
    questions: int = 0
    attestations: int = 0
    override: int | None = None

    @property
    def computed_minutes(self) -> int:
        minutes = (
            self.words / WORDS_PER_MINUTE
            + self.vignettes * MINUTES_PER_VIGNETTE
            + self.checks * MINUTES_PER_CHECK
            + self.questions * MINUTES_PER_QUESTION
            + self.attestations * MINUTES_TO_SIGN
        )
        return math.ceil(minutes) if minutes else 0

    @property
    def minutes(self) -> int:
        """The author's override if set, else the estimate from the content."""
        return self.override if self.override else self.computed_minutes

    @property
    def is_override(self) -> bool:
        return bool(self.override)


def count_words(value) -> int:
    """Words in a stream value or text (HTML tags do not count)."""
    if value is None or isinstance(value, bool | int | float):
        return 0
    if isinstance(value, str):
        return len(_WORD.findall(strip_tags(value)))
    if isinstance(value, dict):
        return sum(count_words(v) for k, v in value.items() if k not in _SKIP_KEYS)
    if isinstance(value, list | tuple):
        return sum(count_words(v) for v in value)
    return count_words(str(value))


def course_duration(*, course, lessons, quiz, attestation) -> DurationEstimate:
    """The estimate for ``course`` from its (live) lessons, quiz and attestation."""
    words = count_words([course.title, course.summary])
    vignettes = checks = questions = 0
    for lesson in lessons:
        words += count_words([lesson.title, lesson.intro])
        for block in lesson.body.raw_data:
            if block["type"] in _SKIP_BLOCKS:
                continue
            words += count_words(block["value"])
            vignettes += block["type"] == "vignette"
            checks += block["type"] == "check"
    if quiz is not None:
        words += count_words(quiz.intro)
        for block in quiz.questions.raw_data:
            words += count_words(block["value"])
            questions += 1
    if attestation is not None:
        words += count_words([attestation.body, attestation.statement])
    return DurationEstimate(
        words=words,
        vignettes=vignettes,
        checks=checks,
        questions=questions,
        attestations=1 if attestation is not None else 0,
        override=course.estimated_minutes,
    )
