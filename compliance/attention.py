"""What a supervisor's header badge counts: how many of their people have
something expired or overdue (the home panel's figure) and the quizzes those
people are locked out of (the weekly digest's section)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from courses.digest import digest_locked_quizzes
from portal.models import StaffProfileQuerySet
from portal.types import AnyUser

from .selectors import matrix_people, matrix_summary


def attention_team(*, user: AnyUser, today: dt.date, **_: object) -> int:
    """People on ``user``'s teams with something expired or overdue, plus their
    locked quizzes: what the team matrix shows them to act on."""
    overdue = matrix_summary(user=user, as_of=today)["has_expired"]
    people = cast("StaffProfileQuerySet", matrix_people(user=user, as_of=today))
    locked = digest_locked_quizzes(staff_qs=people, today=today)
    return int(overdue) + len(locked.lines)
