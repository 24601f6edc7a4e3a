"""Requirements by program and site as well as job role, in the one shape that
courses, credentials and skills share (``portal.models.Requirement``)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from courses.models import Assignment, CourseRequirement
from courses.selectors import course_requirement_statuses
from credentials.models import CredentialRequirement
from credentials.selectors import requirement_statuses
from portal.requirements import requirement_due_on
from portal.rollup import readiness_for
from portal.services import staff_update
from skills.models import SkillRequirement
from skills.provider import skill_provider
from tests.courses.factories import make_course, require
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import (
    JobRoleFactory,
    ProgramFactory,
    SiteFactory,
    StaffProfileFactory,
    TeamFactory,
)
from tests.skills.factories import SkillChecklistFactory, SkillRequirementFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def minors(db):
    return ProgramFactory(name="Adolescent Residential")


@pytest.fixture
def clearances(minors):
    """Pennsylvania: all three clearances before starting work with minors."""
    types = [
        CredentialTypeFactory(name=name, code=code, validity_months=60)
        for name, code in [
            ("PA State Police criminal history", "pa-patch"),
            ("PA child abuse history clearance", "pa-child-abuse"),
            ("FBI fingerprint criminal history", "fbi-fingerprint"),
        ]
    ]
    for ctype in types:
        CredentialRequirementFactory(
            job_role=None,
            program=minors,
            credential_type=ctype,
            before_first_shift=True,
        )
    return types


def test_a_clearance_required_by_program_shows_for_a_non_tss_role_in_that_program(
    client, clock, minors, clearances, hr
):
    technician = StaffProfileFactory(
        job_role=JobRoleFactory(name="Treatment Technician"),
        team=TeamFactory(program=minors),
    )
    adult_side = StaffProfileFactory(job_role=technician.job_role)
    rows = requirement_statuses(staff_ids=[technician.pk, adult_side.pk], as_of=TODAY)
    mine = sorted(r.label for r in rows if r.staff_id == technician.pk)
    assert mine == sorted(c.name for c in clearances)
    assert all(r.before_first_shift for r in rows)
    assert not [r for r in rows if r.staff_id == adult_side.pk]
    readiness = readiness_for(staff_ids=[technician.pk], as_of=TODAY)[technician.pk]
    assert not readiness.ready_for_floor
    for ctype in clearances:
        CredentialFactory(
            staff=technician, credential_type=ctype, expires_on=dt.date(2031, 1, 1)
        )
    assert readiness_for(staff_ids=[technician.pk], as_of=TODAY)[
        technician.pk
    ].ready_for_floor

    client.force_login(hr)
    page = client.get(reverse("staff_detail", args=[technician.pk])).content.decode()
    assert "PA child abuse history clearance" in page


def test_where_role_and_program_both_require_it_the_stricter_date_wins(
    clock, minors, clearances
):
    role = JobRoleFactory()
    CredentialRequirementFactory(
        job_role=role, credential_type=clearances[0], due_within_days=60
    )
    person = StaffProfileFactory(job_role=role, team=TeamFactory(program=minors))
    rows = [
        r
        for r in requirement_statuses(staff_ids=[person.pk], as_of=TODAY)
        if r.label == clearances[0].name
    ]
    assert len(rows) == 1 and rows[0].before_first_shift


def test_a_site_and_role_combination_applies_only_there(clock):
    site = SiteFactory(name="Northside Residential")
    role = JobRoleFactory()
    checklist = SkillChecklistFactory(name="Vital signs")
    SkillRequirementFactory(job_role=role, site=site, checklist=checklist)
    here = StaffProfileFactory(job_role=role, team=TeamFactory(site=site))
    elsewhere = StaffProfileFactory(job_role=role)
    other_role_here = StaffProfileFactory(team=TeamFactory(site=site))
    rows = list(
        skill_provider(
            staff_ids=[here.pk, elsewhere.pk, other_role_here.pk], as_of=TODAY
        )
    )
    assert [r.staff_id for r in rows] == [here.pk]


def test_everyone_requirement_reaches_people_without_a_team(clock):
    course = make_course(title="Mandated reporting")
    require(course)  # no job role, program or site: everyone
    person = StaffProfileFactory(team=None)
    [row] = course_requirement_statuses(staff_ids=[person.pk], as_of=TODAY)
    assert row.label == "Mandated reporting"


def test_a_course_required_by_site_is_assigned_on_hire_and_on_moving_there(clock):
    site = SiteFactory()
    course = make_course(title="Northside fire safety")
    require(course, site=site, days=10)
    hired = StaffProfileFactory(team=TeamFactory(site=site), hire_date=TODAY)
    from courses.services import assignments_create_for_job_role

    assignments_create_for_job_role(staff=hired)
    assert Assignment.objects.get(staff=hired).due_on == TODAY + dt.timedelta(10)
    mover = StaffProfileFactory(hire_date=dt.date(2025, 1, 1))
    staff_update(staff=mover, team=TeamFactory(site=site))
    assert Assignment.objects.get(staff=mover).due_on == TODAY + dt.timedelta(10)


def test_a_course_goal_is_not_assigned_and_shows_as_a_goal(clock):
    role = JobRoleFactory()
    course = make_course(title="Motivational interviewing, advanced")
    require(course, role, goal=True)
    person = StaffProfileFactory(job_role=role)
    from courses.services import assignments_create_for_job_role

    assert assignments_create_for_job_role(staff=person) == []
    [row] = course_requirement_statuses(staff_ids=[person.pk], as_of=TODAY)
    assert row.status == "goal" and row.detail == "a goal, no due date"


@pytest.mark.parametrize(
    ("rule", "days", "expected"),
    [
        ("before_first_shift", None, dt.date(2026, 3, 2)),
        ("within_days", 14, dt.date(2026, 3, 16)),
        ("within_days", None, dt.date(2026, 3, 23)),  # the role's 21 days
        ("goal", None, None),
    ],
)
def test_one_due_date_rule_for_every_kind(rule, days, expected):
    hired = dt.date(2026, 3, 2)
    assert (
        requirement_due_on(
            due_rule=rule, due_within_days=days, hire_date=hired, orientation_days=21
        )
        == expected
    )
    for model in (CourseRequirement, CredentialRequirement, SkillRequirement):
        req = model(due_rule=rule, due_within_days=days)
        assert req.due_on(hire_date=hired, orientation_days=21) == expected


def test_providers_answer_for_many_people_in_constant_queries(
    clock, django_assert_max_num_queries, minors, clearances
):
    role = JobRoleFactory()
    site = SiteFactory()
    teams = [TeamFactory(program=minors), TeamFactory(site=site), TeamFactory()]
    people = [StaffProfileFactory(job_role=role, team=teams[n % 3]) for n in range(30)]
    checklist = SkillChecklistFactory()
    SkillRequirementFactory(job_role=None, site=site, checklist=checklist)
    course = make_course(title="Program orientation")
    require(course, program=minors)
    ids = [p.pk for p in people]
    requirement_statuses(staff_ids=ids[:1], as_of=TODAY)  # the time zone, cached
    with django_assert_max_num_queries(3):
        rows = requirement_statuses(staff_ids=ids, as_of=TODAY)
    assert len(rows) == 10 * 3
    with django_assert_max_num_queries(3):
        assert len(list(skill_provider(staff_ids=ids, as_of=TODAY))) == 10
    with django_assert_max_num_queries(5):
        assert len(course_requirement_statuses(staff_ids=ids, as_of=TODAY)) == 10


def test_hr_sees_one_requirements_menu_with_every_kind(client, hr):
    client.force_login(hr)
    home = client.get("/cms/").content.decode()
    assert "Requirements" in home
    for path in (
        "/cms/courserequirement/",
        "/cms/credentialrequirement/",
        "/cms/skillrequirement/",
        "/cms/credentialgroup/",
    ):
        assert path in home, path
        assert client.get(path).status_code == 200, path


def test_hr_adds_a_program_requirement_in_the_cms_and_bad_input_is_explained(
    client, hr, minors
):
    ctype = CredentialTypeFactory(name="FBI fingerprint criminal history")
    client.force_login(hr)
    bad = client.post(
        "/cms/credentialrequirement/new/",
        {"program": minors.pk, "due_rule": "before_first_shift", "active": "on"},
    )
    assert bad.status_code == 200
    assert "Choose either one credential type or a group." in bad.content.decode()
    response = client.post(
        "/cms/credentialrequirement/new/",
        {
            "credential_type": ctype.pk,
            "program": minors.pk,
            "due_rule": "before_first_shift",
            "active": "on",
        },
    )
    assert response.status_code == 302
    req = CredentialRequirement.objects.get()
    assert req.program == minors and req.job_role is None and req.before_first_shift
