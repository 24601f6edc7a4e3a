"""The weekly digest covers more than credentials: overdue training, new hires not
ready for the floor and quizzes someone is locked out of, each person linked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils.formats import date_format

from courses.models import Assignment
from courses.services import quiz_attempt_start, quiz_attempt_submit
from credentials.reminders import digest_scan
from tests.courses.factories import WRONG, answers_for, make_course, require
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 6, 15)  # a Monday


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=NY), tick=False):
        yield


def test_digest_lists_overdue_training_new_hires_and_locked_quizzes(
    django_capture_on_commit_callbacks,
):
    team = TeamFactory(name="Cedar House")
    other = TeamFactory(name="Birch House")
    make_supervisor(team, email="boss@example.org")
    make_supervisor(other, email="otherboss@example.org")
    late = StaffProfileFactory(
        team=team, user__first_name="Lena", user__last_name="Late"
    )
    hipaa = make_course(title="HIPAA Basics")
    Assignment.objects.create(
        staff=late,
        course=hipaa.page,
        due_on=TODAY - dt.timedelta(days=4),
        source=Assignment.Source.MANUAL,
    )
    locked = StaffProfileFactory(
        team=team, user__first_name="Quinn", user__last_name="Quiz"
    )
    deesc = make_course(title="De-escalation", attempts_allowed=1)
    attempt = quiz_attempt_start(staff=locked, quiz=deesc.quiz)
    quiz_attempt_submit(
        staff=locked,
        quiz=deesc.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(deesc, WRONG),
    )
    rookie_role = JobRoleFactory(name="Residential counselor", code="rc")
    safety = make_course(title="Safety First")
    require(safety, rookie_role, before_first_shift=True)
    rookie = StaffProfileFactory(
        team=team,
        job_role=rookie_role,
        hire_date=TODAY - dt.timedelta(days=10),
        user__first_name="Nia",
        user__last_name="New",
    )
    # Someone on another team is not in this supervisor's digest.
    StaffProfileFactory(
        team=other, user__first_name="Otto", user__last_name="Other"
    ).assignments.create(
        course=hipaa.page,
        due_on=TODAY - dt.timedelta(days=4),
        source=Assignment.Source.MANUAL,
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        digest_scan(today=TODAY)

    mine = [m for m in mail.outbox if m.to == ["boss@example.org"]]
    assert len(mine) == 1
    message = mine[0]
    body = message.body
    html = message.alternatives[0][0]
    assert "1 training overdue" in message.subject
    assert "1 locked out of a quiz" in message.subject
    assert "1 new hires not ready for the floor" in message.subject
    due = date_format(TODAY - dt.timedelta(days=4), "DATE_FORMAT")
    assert f"Training overdue (1):\n- Lena Late: HIPAA Basics, due {due}" in body
    assert f"/staff/{late.pk}/" in body
    assert "Locked out of a quiz (1):\n- Quinn Quiz: De-escalation (Quiz): all 1" in (
        body
    )
    hired = date_format(rookie.hire_date, "DATE_FORMAT")
    assert (
        f"New hires not ready for the floor (1):\n- Nia New: hired {hired}; "
        "still needs Safety First"
    ) in body
    assert "Otto Other" not in body
    assert "Quinn Quiz</a>: De-escalation (Quiz)" in html
    assert f"/staff/{rookie.pk}/" in html


def test_nothing_to_report_sends_no_digest(django_capture_on_commit_callbacks):
    team = TeamFactory()
    make_supervisor(team, email="quiet@example.org")
    StaffProfileFactory(team=team)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest_scan(today=TODAY)
    assert not [m for m in mail.outbox if m.to == ["quiet@example.org"]]
