"""Issues 10.7 and 15.5: the public certificate check tells the whole truth (current,
renewal overdue since a date, superseded by a later completion), and the certificate
says the same things: agency, course version, completion and renew-by dates."""

import datetime as dt
import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from courses.certificates import certificate_pdf
from courses.models import CoursePage
from courses.selectors import CertificateState, certificate_state
from courses.services import completion_record
from portal.models import Agency
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPLETED = dt.datetime(2025, 3, 10, 15, tzinfo=dt.UTC)  # 10 Mar 2025 in New York


def at(day: dt.date):
    """Freeze the clock at noon in New York on ``day``."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def learner(team):
    Agency.objects.update(name="Riverbend Behavioral Health")
    return StaffProfileFactory(
        team=team, user=UserFactory(first_name="Jordan", last_name="Blake")
    )


@pytest.fixture
def course(db):
    course = make_course(title="Crisis prevention", retrain_months=12)
    CoursePage.objects.filter(pk=course.page.pk).update(version=3)
    return CoursePage.objects.get(pk=course.page.pk)


@pytest.fixture
def completion(learner, course):
    return completion_record(
        staff=learner, course=course, score=88, completed_at=COMPLETED
    )


def page_text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def verify(client, completion, day: dt.date) -> str:
    with at(day):
        response = client.get(f"/verify/{completion.certificate_code}/")
    assert response.status_code == 200
    return page_text(response)


def test_current_certificate_shows_version_agency_dates(client, completion):
    text = verify(client, completion, dt.date(2025, 9, 1))
    assert "Current: renew by March 10, 2026" in text
    assert "Riverbend Behavioral Health" in text
    assert "Crisis prevention" in text
    assert "Course version 3" in text
    assert "Completed on March 10, 2025" in text
    assert "Renew by March 10, 2026" in text
    assert "Valid certificate" not in text


def test_certificate_past_its_renew_by_date_is_renewal_overdue(client, completion):
    # The last day is still current...
    assert "Current: renew by March 10, 2026" in verify(
        client, completion, dt.date(2026, 3, 10)
    )
    # ...the day after, the renewal is overdue.
    text = verify(client, completion, dt.date(2026, 3, 11))
    assert "Renewal overdue since March 10, 2026" in text
    assert "has not been completed again" in text
    assert "Current" not in text


def test_certificate_replaced_by_a_later_completion_is_superseded(
    client, completion, learner, course
):
    later = completion_record(
        staff=learner,
        course=course,
        score=95,
        completed_at=dt.datetime(2026, 2, 20, 15, tzinfo=dt.UTC),
    )
    # Before the later completion happened, the first one was current.
    assert "Current" in verify(client, completion, dt.date(2026, 1, 5))
    text = verify(client, completion, dt.date(2026, 6, 1))
    assert "Superseded by a later completion on February 20, 2026" in text
    assert "Renewal overdue" not in text
    # The later one is current; another person's completion changes nothing.
    text = verify(client, later, dt.date(2026, 6, 1))
    assert "Current: renew by February 20, 2027" in text
    other = completion_record(
        staff=StaffProfileFactory(), course=course, score=90, completed_at=COMPLETED
    )
    assert "Current" in verify(client, other, dt.date(2025, 6, 1))


def test_course_without_renewal_stays_current(client, learner):
    once = make_course(title="Orientation", retrain_months=None)
    completion = completion_record(
        staff=learner, course=once.page, score=None, completed_at=COMPLETED
    )
    text = verify(client, completion, dt.date(2030, 1, 1))
    assert "Current: no renewal needed" in text
    assert "Renew by No renewal needed" in text


def test_verify_page_adds_nothing_else_personal(client, completion, learner):
    text = verify(client, completion, dt.date(2025, 9, 1))
    assert "Jordan Blake" in text
    for secret in (
        "88%",
        "Score",
        learner.user.email,
        learner.employee_id,
        str(learner.team),
        str(learner.job_role),
    ):
        assert secret not in text


@pytest.mark.parametrize(
    ("renew_by", "later", "today", "state"),
    [
        (None, None, dt.date(2030, 1, 1), CertificateState.CURRENT),
        (dt.date(2026, 3, 10), None, dt.date(2026, 3, 10), CertificateState.CURRENT),
        (dt.date(2026, 3, 10), None, dt.date(2026, 3, 11), CertificateState.OVERDUE),
        (
            dt.date(2026, 3, 10),
            dt.date(2026, 2, 1),
            dt.date(2026, 3, 11),
            CertificateState.SUPERSEDED,
        ),
        (
            dt.date(2026, 3, 10),
            dt.date(2026, 5, 1),
            dt.date(2026, 3, 11),
            CertificateState.OVERDUE,
        ),
        (None, dt.date(2026, 5, 1), dt.date(2026, 5, 1), CertificateState.SUPERSEDED),
    ],
)
def test_certificate_state_rules(renew_by, later, today, state):
    assert (
        certificate_state(renew_by=renew_by, later_completed_on=later, today=today)
        == state
    )


# --- The certificate PDF -----------------------------------------------------------


def certificate_text(completion) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(certificate_pdf(completion=completion)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return text, reader


def test_certificate_shows_agency_version_and_renew_by(completion):
    with at(dt.date(2025, 9, 1)):
        text, reader = certificate_text(completion)
    assert len(reader.pages) == 1
    assert "Riverbend Behavioral Health" in text
    assert "Crisis prevention" in text and "Version 3" in text
    assert "Completed on March 10, 2025" in text
    assert "Renew by March 10, 2026" in text
    assert "Score 88%" in text
    # No "CE hours: none": a course without CE hours does not mention them.
    assert "CE hours" not in text and "none" not in text


def test_certificate_with_ce_hours_shows_them(learner):
    course = make_course(title="Ethics for counselors", ce_hours=3)
    completion = completion_record(staff=learner, course=course.page, score=91)
    text, _ = certificate_text(completion)
    assert "CE hours 3" in text


def test_certificate_fills_its_page(completion):
    """No blank third of a page: the lowest line of text (the check link) sits in
    the bottom fifth of the landscape page."""
    reader = PdfReader(io.BytesIO(certificate_pdf(completion=completion)))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    lowest = [height]

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            lowest[0] = min(lowest[0], tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    assert lowest[0] < height * 0.2


def test_verify_page_matches_the_certificate(client, completion):
    with at(dt.date(2025, 9, 1)):
        pdf, _ = certificate_text(completion)
    text = verify(client, completion, dt.date(2025, 9, 1))
    for fact in (
        "Riverbend Behavioral Health",
        "Jordan Blake",
        "Crisis prevention",
        "March 10, 2025",
        "March 10, 2026",
        completion.certificate_code,
    ):
        assert fact in pdf and fact in text, fact
    assert "Version 3" in pdf and "Course version 3" in text
