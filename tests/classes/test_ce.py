"""Continuing-education hours per license cycle: totals, category minimums, cycle
boundaries, verification, the shortfall list and reminders."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from classes.models import CECategory, CECategoryMinimum, CERequirement
from classes.selectors import ce_cycles_for, ce_shortfalls, cycle_bounds
from classes.services import (
    ce_activity_create,
    ce_activity_decide,
    ce_reminders_queue,
)
from courses.services import completion_record
from tests.classes.factories import NOON
from tests.courses.factories import make_course
from tests.credentials.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    pdf_upload,
)
from tests.factories import StaffProfileFactory, TeamFactory, make_hr, make_supervisor

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def lcsw():
    """LCSW: 30 hours every 24 months, at least 3 in ethics."""
    ctype = CredentialTypeFactory(
        name="LCSW", code="lcsw", reminder_days="180, 90, 30", validity_months=24
    )
    ethics = CECategory.objects.create(name="Ethics", code="ethics")
    requirement = CERequirement.objects.create(
        credential_type=ctype, total_hours=D("30"), cycle_months=24
    )
    CECategoryMinimum.objects.create(
        requirement=requirement, category=ethics, hours=D("3")
    )
    return ctype, ethics


@pytest.fixture
def clinician(lcsw):
    """A license renewed once: Mar 1, 2025 – Feb 28, 2027, and the previous cycle."""
    ctype, _ = lcsw
    person = StaffProfileFactory()
    old = CredentialFactory(
        staff=person,
        credential_type=ctype,
        verification_status="verified",
        issued_on=dt.date(2023, 3, 1),
        expires_on=dt.date(2025, 2, 28),
    )
    new = CredentialFactory(
        staff=person,
        credential_type=ctype,
        verification_status="verified",
        issued_on=dt.date(2025, 3, 1),
        expires_on=dt.date(2027, 2, 28),
        supersedes=old,
    )
    old.superseded_by = new
    old.save()
    return person


def log(person, on, hours, category=None, verify=True):
    activity = ce_activity_create(
        staff=person,
        by=person.user,
        provider="NASW",
        title=f"Workshop {on}",
        completed_on=on,
        hours=D(hours),
        category=category,
        certificate=pdf_upload(),
    )
    if verify:
        ce_activity_decide(activity=activity, by=make_hr(), verified=True)
    return activity


def test_cycle_bounds_follow_the_license_expiry():
    assert cycle_bounds(ends_on=dt.date(2027, 2, 28), months=24) == (
        dt.date(2025, 3, 1),
        dt.date(2027, 2, 28),
    )


def test_hours_count_in_the_cycle_they_fall_in(clinician, lcsw):
    _, ethics = lcsw
    log(clinician, dt.date(2025, 2, 28), "10")  # last day of the old cycle
    log(clinician, dt.date(2025, 3, 1), "20")  # first day of the current one
    log(clinician, dt.date(2026, 6, 1), "2", ethics)
    current, past = ce_cycles_for(staff=clinician)
    assert current.is_current and not past.is_current
    assert current.total.earned == D("22")
    assert past.total.earned == D("10")
    assert current.categories[0].earned == D("2")
    # 8 hours short in total; the ethics minimum is inside the total.
    assert current.short_by == D("8")


def test_category_minimum_can_leave_a_full_total_short(clinician, lcsw):
    log(clinician, dt.date(2025, 6, 1), "30")
    (current, _past) = ce_cycles_for(staff=clinician)
    assert current.total.short_by == 0
    assert current.short_by == D("3")  # no ethics yet
    assert not current.is_complete


def test_unverified_and_rejected_hours_do_not_count(clinician, lcsw):
    pending = log(clinician, dt.date(2025, 6, 1), "5", verify=False)
    rejected = log(clinician, dt.date(2025, 7, 1), "5", verify=False)
    ce_activity_decide(
        activity=rejected, by=make_hr(), verified=False, reason="Not approved"
    )
    current, _ = ce_cycles_for(staff=clinician)
    assert current.total.earned == 0
    assert current.pending_hours == D("5")
    with pytest.raises(ValidationError):
        ce_activity_decide(activity=pending, by=clinician.user, verified=True)


def test_milieu_course_completions_with_ce_hours_count(clinician, lcsw, clock):
    course = make_course(title="Ethics in practice", ce_hours=D("3"))
    course.page.tags.add("ethics")
    course.page.save()
    completion_record(
        staff=clinician,
        course=course.page,
        score=100,
        completed_at=dt.datetime(2026, 5, 1, 15, tzinfo=dt.UTC),
    )
    current, _ = ce_cycles_for(staff=clinician)
    assert current.total.earned == D("3")
    assert current.categories[0].earned == D("3")


def test_certificate_upload_is_checked_like_credential_documents(clinician):
    with pytest.raises(ValidationError, match="not a PDF, JPEG or PNG"):
        ce_activity_create(
            staff=clinician,
            by=clinician.user,
            provider="X",
            title="Y",
            completed_on=dt.date(2025, 6, 1),
            hours=D("1"),
            certificate=pdf_upload("fake.pdf", b"MZ not a pdf"),
        )


def test_supervisors_see_who_is_short_on_their_teams(clinician, lcsw):
    log(clinician, dt.date(2025, 6, 1), "12")
    supervisor = make_supervisor(clinician.team)
    other = make_supervisor(TeamFactory())
    rows = ce_shortfalls(user=supervisor, today=dt.date(2026, 12, 1))
    assert [(r["staff"], r["cycle"].short_by) for r in rows] == [(clinician, D("18"))]
    assert ce_shortfalls(user=other, today=dt.date(2026, 12, 1)) == []
    # Far from renewal: not listed yet.
    assert ce_shortfalls(user=supervisor, today=dt.date(2025, 6, 1)) == []


def test_shortfall_reminder_at_the_license_steps_once(
    clinician, lcsw, django_capture_on_commit_callbacks
):
    log(clinician, dt.date(2025, 6, 1), "12")
    step_day = dt.date(2027, 2, 28) - dt.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        assert ce_reminders_queue(today=step_day) == 1
        assert ce_reminders_queue(today=step_day) == 0
        assert ce_reminders_queue(today=step_day + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert "18.0 CE hours to go" in mail.outbox[0].subject
    assert "Ethics: 0 of at least 3.0 hours" in mail.outbox[0].body


def test_ce_page_shows_bars_per_category(client, clinician, lcsw, clock):
    log(clinician, dt.date(2025, 6, 1), "12")
    client.force_login(clinician.user)
    page = client.get("/classes/ce/").content.decode()
    assert "12.0 of 30.0 hours" in page
    assert "Ethics (at least 3.0)" in page
    assert "Past cycle" in page
    response = client.post(
        "/classes/ce/add/",
        {
            "provider": "NASW",
            "title": "Future workshop",
            "completed_on": "2027-01-01",
            "hours": "3",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The date is in the future." in body
    assert "Upload the certificate of completion." in body


def test_training_file_lists_current_and_past_cycles(clinician, lcsw, clock):
    import io

    from pypdf import PdfReader

    from compliance.exports import training_file_pdf

    log(clinician, dt.date(2025, 2, 1), "10")  # past cycle
    log(clinician, dt.date(2026, 6, 1), "7")
    log(clinician, dt.date(2026, 11, 1), "5")  # after the "as of" date below
    pdf = training_file_pdf(
        staff=clinician, as_of=dt.date(2026, 10, 1), generated_by=make_hr()
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Continuing-education hours" in text
    assert "cycle Mar 1, 2025 – Feb 28, 2027" in text
    assert "7.0 of 30.0 hours" in text  # the November hours are not counted yet
    assert "cycle Mar 1, 2023 – Feb 28, 2025" in text
    assert "10.0 of 30.0 hours" in text
