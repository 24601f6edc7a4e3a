"""The demo's requirements read as a US HR director would write them: any-one-of
groups, clearances by program, a CADC goal, TB at hire, a monthly exclusion check,
Pennsylvania's fixed license renewal date, certified instructors for holds."""

import datetime as dt
import shutil

import pytest
import time_machine

from courses import demo as courses_demo
from courses.course_files import STARTER_DIR
from courses.models import Assignment, CoursePage, CourseRequirement
from courses.starter_loader import library_page, load_starter_courses
from credentials import demo
from credentials.models import Credential, CredentialRequirement, CredentialType
from credentials.selectors import credential_held, requirement_statuses
from portal.demo import seed_organisation
from portal.models import StaffProfile, User
from portal.requirements import Status
from skills import demo as skills_demo
from skills.models import SkillChecklist

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def seeded():
    with time_machine.travel(NOON, tick=False):
        seed_organisation(today=TODAY)
        demo.seed(today=TODAY)
        skills_demo.seed(today=TODAY)
        yield


def rows_of(email):
    staff = StaffProfile.objects.get(user__email=email)
    return {r.label: r for r in requirement_statuses(staff_ids=[staff.pk], as_of=TODAY)}


def test_the_new_hire_needs_what_a_pennsylvania_adolescent_unit_asks(seeded):
    rows = rows_of("newhire@demo.milieu.local")
    for label in (
        "CPR / First Aid",
        "De-escalation certification",
        "TB test",
        "Pennsylvania State Police criminal history (PATCH)",
        "Pennsylvania child abuse history clearance",
        "FBI fingerprint criminal history",
    ):
        assert rows[label].before_first_shift, label
    for label in (
        "Medication administration certification",
        "Driver's license",
        "Driving record check",
        "OIG and Medicaid exclusion check",
    ):
        assert label in rows and not rows[label].before_first_shift, label
    assert "CPI Nonviolent Crisis Intervention" not in rows  # one of the group now
    assert rows["De-escalation certification"].extra["members"] == [
        "Agency-approved de-escalation equivalent",
        "CPI Nonviolent Crisis Intervention",
        "Pro-ACT",
        "Safety-Care",
    ]


def test_no_single_trademarked_program_is_required(seeded):
    assert not CredentialRequirement.objects.filter(credential_type__code="cpi")
    assert CredentialRequirement.objects.filter(
        group__name="De-escalation certification"
    ).exists()


def test_tb_is_at_hire_with_no_interval_and_the_exclusion_check_is_monthly(seeded):
    tb = CredentialType.objects.get(code="tb-test")
    assert not tb.has_expiry and tb.validity_months is None
    check = CredentialType.objects.get(code="exclusion-check")
    assert check.validity_months == 1 and check.recorded_by_hr
    hr = User.objects.get(email="hr@demo.milieu.local")
    records = Credential.objects.filter(credential_type=check)
    assert records.exists() and set(records.values_list("created_by", flat=True)) == {
        hr.pk
    }
    for record in records:
        assert record.expires_on == check.expiry_for(record.issued_on)


def test_pennsylvania_licenses_all_expire_on_28_february_of_an_odd_year(seeded):
    licenses = Credential.objects.filter(
        credential_type__code__in=["lcsw", "lpc", "lmft", "lsw"]
    )
    assert licenses.exists()
    for record in licenses:
        assert (record.expires_on.month, record.expires_on.day) == (2, 28)
        assert record.expires_on.year % 2 == 1


def test_clinicians_meet_the_license_group_with_different_licenses(seeded):
    bhps = list(
        StaffProfile.objects.filter(job_role__code="behavioral-health-professional")
    )
    rows = [
        r
        for r in requirement_statuses(staff_ids=[s.pk for s in bhps], as_of=TODAY)
        if r.label == "Clinical license (BHP)"
    ]
    assert len(rows) == len(bhps)
    assert len({r.extra.get("satisfied_by") for r in rows}) >= 3


def test_the_cadc_is_a_goal_never_overdue_and_drivers_get_a_record_check(seeded):
    specialists = list(
        StaffProfile.objects.filter(job_role__code="treatment-specialist")
    )
    rows = requirement_statuses(staff_ids=[s.pk for s in specialists], as_of=TODAY)
    cadc = [r for r in rows if r.label == "CADC"]
    assert len(cadc) == len(specialists)
    assert {r.status for r in cadc} - {Status.GOAL} and Status.GOAL in {
        r.status for r in cadc
    }
    assert all(r.due_on is None for r in cadc)
    assert len([r for r in rows if r.label == "Driving record check"]) == len(
        specialists
    )
    tss = StaffProfile.objects.filter(job_role__code="therapeutic-support-specialist")
    assert not [
        r
        for r in requirement_statuses(staff_ids=[s.pk for s in tss], as_of=TODAY)
        if r.label
        in ("Driving record check", "Medication administration certification")
    ]


def test_holds_are_signed_off_by_the_certified_instructor(seeded):
    hold = SkillChecklist.objects.get(name__startswith="Physical intervention")
    assert set(hold.signer_credentials.values_list("code", flat=True)) == {
        "cpi-instructor",
        "safety-care-trainer",
    }
    instructor = User.objects.get(email="supervisor1@demo.milieu.local")
    assert credential_held(
        user=instructor, credential_types=hold.signer_credentials.all(), as_of=TODAY
    )


def test_the_newer_courses_are_required_when_loaded_and_skipped_when_not(
    tmp_path, monkeypatch
):
    # An install whose course files are only the first three.
    three = tmp_path / "starter"
    three.mkdir()
    for slug in courses_demo.ORIENTATION:
        shutil.copy(STARTER_DIR / f"{slug}.yaml", three)
    monkeypatch.setattr(
        courses_demo,
        "load_starter_courses",
        lambda: load_starter_courses(directory=three),
    )
    with time_machine.travel(NOON, tick=False):
        seed_organisation(today=TODAY)
        courses_demo.seed(today=TODAY)  # none of the four loaded: nothing to do
        assert not CourseRequirement.objects.exclude(
            course__slug__in=[
                "crisis-prevention",
                "trauma-informed-care",
                "hipaa-part2",
            ]
        ).exists()
        library = library_page()
        for slug in ("mandated-reporting", "bloodborne-pathogens"):
            library.add_child(
                instance=CoursePage(title=slug, slug=slug, summary="New.")
            )
        courses_demo.seed(today=TODAY)
        courses_demo.seed(today=TODAY)
    everyone = StaffProfile.objects.count()
    reporting = Assignment.objects.filter(course__slug="mandated-reporting")
    assert reporting.count() == everyone
    assert min(reporting.values_list("due_on", flat=True)) >= TODAY
    bbp = Assignment.objects.filter(course__slug="bloodborne-pathogens")
    assert set(bbp.values_list("staff__job_role__code", flat=True)) == {
        "treatment-technician"
    }
