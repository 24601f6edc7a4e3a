"""The header's notification badge (what needs the signed-in person's attention,
linked to where it is) and the "CE hours" menu link only for license holders."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from classes.models import CERequirement
from courses.models import Assignment
from courses.services import quiz_attempt_start, quiz_attempt_submit
from credentials.models import Credential
from tests.courses.factories import WRONG, answers_for, make_course
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=NY), tick=False):
        yield


BADGE = re.compile(
    r'<a class="attention-badge" href="(?P<href>[^"]*)" aria-label="(?P<label>[^"]*)"'
    r'.*?<span class="attention-count" aria-hidden="true">(?P<count>\d+)</span>',
    re.S,
)


def badge(client, url: str = "/"):
    cache.clear()  # what the last page kept is not what this test checks
    body = client.get(url).content.decode()
    return BADGE.search(body)


def test_learner_sees_overdue_training_and_expiring_credential_in_the_badge(
    client, staff
):
    course = make_course(title="HIPAA Basics")
    Assignment.objects.create(
        staff=staff,
        course=course.page,
        due_on=TODAY - dt.timedelta(days=3),
        source=Assignment.Source.MANUAL,
    )
    client.force_login(staff.user)
    found = badge(client)
    assert found and found["count"] == "1"
    assert found["href"] == reverse("courses:my_training")
    assert found["label"] == "One item needs your attention"

    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    CredentialFactory(
        staff=staff,
        credential_type=cpr,
        expires_on=TODAY + dt.timedelta(days=10),
        verification_status=Credential.Verification.VERIFIED,
    )
    found = badge(client)
    assert found["count"] == "2"
    assert found["label"] == "Two items need your attention"
    # Two kinds of item: the home page has a panel for each.
    assert found["href"] == reverse("home")


def test_training_due_much_later_does_not_count(client, staff):
    course = make_course()
    Assignment.objects.create(
        staff=staff,
        course=course.page,
        due_on=TODAY + dt.timedelta(days=90),
        source=Assignment.Source.MANUAL,
    )
    client.force_login(staff.user)
    assert badge(client) is None


def test_supervisor_badge_counts_their_peoples_overdue_and_locked_quizzes(
    client, staff, supervisor, other_team
):
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    CredentialFactory(
        staff=staff,
        credential_type=cpr,
        expires_on=TODAY - dt.timedelta(days=2),
        verification_status=Credential.Verification.VERIFIED,
    )
    quiz = make_course(title="De-escalation", attempts_allowed=1)
    attempt = quiz_attempt_start(staff=staff, quiz=quiz.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=quiz.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(quiz, WRONG),
    )
    # Someone on another team is nobody's business here.
    stranger = StaffProfileFactory(team=other_team, job_role=staff.job_role)
    CredentialFactory(
        staff=stranger,
        credential_type=cpr,
        expires_on=TODAY - dt.timedelta(days=2),
        verification_status=Credential.Verification.VERIFIED,
    )
    client.force_login(supervisor)
    found = badge(client)
    assert found is not None
    from compliance.selectors import matrix_summary

    overdue = matrix_summary(user=supervisor, as_of=TODAY)["has_expired"]
    assert overdue == 1  # their person with an expired CPR, not the stranger
    assert found["count"] == "2"  # and the locked quiz
    assert found["href"] == reverse("compliance:matrix")


def test_hr_badge_counts_credentials_awaiting_verification(client, hr, staff):
    CredentialFactory.create_batch(
        3, staff=staff, verification_status=Credential.Verification.PENDING
    )
    client.force_login(hr)
    found = badge(client)
    assert found["count"] == "3"
    assert found["href"] == reverse("verification_queue")
    assert found["label"] == "Three items need your attention"
    assert client.get(found["href"]).status_code == 200


def test_nothing_to_do_means_no_badge(client, staff):
    client.force_login(staff.user)
    assert badge(client) is None


def test_anonymous_and_terminated_people_get_no_badge(client, staff):
    course = make_course()
    Assignment.objects.create(
        staff=staff,
        course=course.page,
        due_on=TODAY - dt.timedelta(days=3),
        source=Assignment.Source.MANUAL,
    )
    assert badge(client, reverse("account_login")) is None
    client.force_login(staff.user)
    staff.status = staff.Status.TERMINATED
    staff.termination_date = TODAY - dt.timedelta(days=1)
    staff.save()
    assert badge(client, reverse("account_login")) is None


def test_badge_costs_no_query_once_kept(client, staff, django_assert_max_num_queries):
    """Worked out at login and kept a short while: a page does not pay for it."""
    course = make_course()
    Assignment.objects.create(
        staff=staff,
        course=course.page,
        due_on=TODAY - dt.timedelta(days=3),
        source=Assignment.Source.MANUAL,
    )
    client.force_login(staff.user)
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as kept:
        client.get(reverse("notifications"))
    cache.clear()
    with CaptureQueriesContext(connection) as fresh:
        client.get(reverse("notifications"))
    assert len(fresh) > len(kept)
    # The kept facts expire: a change shows within minutes, not never.
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 5, tzinfo=NY), tick=False):
        with CaptureQueriesContext(connection) as later:
            client.get(reverse("notifications"))
    assert len(later) > len(kept)


# --- The "CE hours" menu link ---------------------------------------------------------


def _ce_link(client) -> bool:
    cache.clear()
    body = client.get("/").content.decode()
    return f'href="{reverse("classes:ce_mine")}"' in body


def test_ce_hours_menu_only_for_a_license_holder(client, staff):
    client.force_login(staff.user)
    assert not _ce_link(client)
    lcsw = CredentialTypeFactory(name="LCSW", code="lcsw")
    CERequirement.objects.create(
        credential_type=lcsw, total_hours=Decimal("30"), cycle_months=24
    )
    license_ = CredentialFactory(
        staff=staff, credential_type=lcsw, expires_on=TODAY + dt.timedelta(days=400)
    )
    assert _ce_link(client)
    # A rejected license is not one they hold.
    license_.verification_status = Credential.Verification.REJECTED
    license_.save()
    assert not _ce_link(client)
    # The page itself still answers (a bookmark, a link from an email).
    assert client.get(reverse("classes:ce_mine")).status_code == 200


def test_ce_hours_menu_hidden_for_a_credential_without_ce_hours(client, staff):
    CredentialFactory(staff=staff, expires_on=TODAY + dt.timedelta(days=400))
    client.force_login(staff.user)
    assert not _ce_link(client)
