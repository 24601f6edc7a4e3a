"""A US agency reads "Dec 7, 2026" and "9:00 AM": on a page, in an email (text and
HTML) and in a PDF, every date and time is written the US way, from the one format
module (portal/formats/en); CSV files keep ISO dates."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template
from pypdf import PdfReader

from classes.services import booking_create
from courses.services import completion_record
from credentials.templatetags.reminder_email import reminder_line
from portal.requirements import Status
from tests.classes.factories import make_session
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

# Monday Dec 7, 2026, 9:00 AM in New York (the test agency's zone).
MORNING = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)
# A class on Tuesday Dec 15, 2026, 9:00 AM to 1:00 PM in New York.
CLASS_START = dt.datetime(2026, 12, 15, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False):
        yield


def test_named_formats_and_filters_write_us_dates(clock):
    rendered = Template(
        "{{ d|date }}|{{ m|date:'DATETIME_FORMAT' }}|{{ m|time:'TIME_FORMAT' }}|"
        "{{ d|date:'MONTH_DAY_FORMAT' }}|{{ d|long_date }}|{{ m|weekday_datetime }}|"
        "{{ d|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"d": dt.date(2026, 12, 7), "m": MORNING}))
    assert rendered.split("|") == [
        "Dec 7, 2026",
        "Dec 7, 2026, 9:00 AM",
        "9:00 AM",
        "Dec 7",
        "December 7, 2026",
        "Mon, Dec 7, 2026, 9:00 AM",
        "12/07/2026",
    ]


def test_a_class_page_shows_us_dates_and_times(clock, client, hr):
    session = make_session(starts_at=CLASS_START, by=hr)
    client.force_login(hr)
    page = client.get(f"/classes/{session.pk}/").content.decode()
    assert "Tuesday, December 15, 2026, 9:00 AM–1:00 PM" in page
    assert "Mon, Dec 14, 2026, 9:00 AM" in page  # booking closes a day before
    assert "15 Dec" not in page and "09:00" not in page


def test_the_booking_email_writes_us_dates_and_its_html_has_the_cancel_deadline(
    clock, django_capture_on_commit_callbacks
):
    session = make_session(starts_at=CLASS_START)
    person = StaffProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(session=session, staff=person, by=person.user)
    (message,) = mail.outbox
    html = next(c for c, kind in message.alternatives if kind == "text/html")
    assert message.subject.endswith("on Tue, Dec 15, 2026")
    for part in (message.body, html):
        assert "Tuesday, December 15, 2026, 9:00 AM–1:00 PM" in part
        # The text part always said when cancelling closes; the HTML part does too.
        assert "before Dec 14, 9:00 AM" in part


def test_the_training_file_pdf_writes_us_dates_and_times(clock, client, hr, team):
    person = StaffProfileFactory(team=team, hire_date=dt.date(2026, 12, 1))
    course = make_course(title="Trauma-informed care")
    completion_record(staff=person, course=course.page, score=90, completed_at=MORNING)
    client.force_login(hr)
    response = client.get(f"/staff/{person.pk}/training-file.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Hire date Dec 1, 2026" in text
    assert "Dec 7, 2026, 9:00 AM" in text  # the completion
    assert "Requirements as of Dec 7, 2026" in text
    assert "Generated Dec 7, 2026, 9:00 AM EST" in text


def test_the_matrix_csv_keeps_iso_dates(clock, client, hr, team):
    StaffProfileFactory(team=team)
    client.force_login(hr)
    response = client.get("/matrix/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "2026-12-07" in body and "Dec 7, 2026" not in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DUE, "HIPAA — due Jan 6, 2027"),
        (Status.OVERDUE, "HIPAA — overdue, was due Jan 6, 2027"),
        (Status.MISSING, "HIPAA — missing, due Jan 6, 2027"),
    ],
)
def test_a_reminder_line_says_due_once(status, expected):
    item = SimpleNamespace(
        label="HIPAA",
        status=status,
        kind="course",
        expires_on=None,
        due_on=dt.date(2027, 1, 6),
    )
    assert reminder_line(item) == expected
