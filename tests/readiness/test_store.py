"""The readiness store: kept right in the transaction of each change, refreshed by
the date, rebuilt from scratch, and always equal to what the roll-up says."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import CoursePage
from courses.services import completion_record
from credentials.models import Credential, CredentialGroup, CredentialRequirement
from credentials.services import credential_reject, credential_verify
from portal.dates import agency_today
from portal.models import StaffProfile, Team
from portal.rollup import VERDICT_FILTERS, readiness_for
from readiness import services
from readiness.models import PersonReadiness, RequirementState
from readiness.selectors import VERDICT_WHERE
from readiness.services import readiness_flush, readiness_rebuild
from readiness.tasks import refresh_readiness_by_date
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
    make_hr,
)
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
    make_signoff,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def cells():
    """The store's cells, after what the changes' commit does."""
    readiness_flush()
    return RequirementState.objects


def stored(staff) -> PersonReadiness:
    readiness_flush()  # what the change's commit does
    return PersonReadiness.objects.get(staff=staff)


def snapshot() -> tuple[list, list]:
    """The store's rows, without the day they were computed on (after what the
    changes' commit does)."""
    readiness_flush()
    people = list(
        PersonReadiness.objects.order_by("staff_id").values_list(
            "staff_id",
            "on_staff",
            "ready_for_floor",
            "fully_compliant",
            "current",
            "expiring",
            "expired",
            "missing",
            "pending",
            "due",
            "overdue",
            "goal",
            "fresh_until",
        )
    )
    states = list(
        RequirementState.objects.order_by("staff_id", "key").values_list(
            "staff_id",
            "key",
            "kind",
            "label",
            "status",
            "before_first_shift",
            "due_on",
            "expires_on",
            "detail",
            "url",
        )
    )
    return people, states


def test_a_completion_makes_the_person_ready_at_once(clock):
    role = JobRoleFactory()
    course = make_course(title="HIPAA")
    require(course, role, before_first_shift=True)
    person = StaffProfileFactory(job_role=role, hire_date=TODAY)
    assert stored(person).ready_for_floor is False
    with transaction.atomic():
        completion_record(staff=person, course=course.page, score=100)
        # Same transaction: the row is marked, and any read of the store in it
        # (a page) recomputes the person first.
        assert PersonReadiness.objects.get(staff=person).stale
        assert stored(person).ready_for_floor is True
    state = cells().get(staff=person)
    assert (state.key, state.status) == (f"course:{course.page.pk}", "current")


def test_a_rolled_back_completion_leaves_the_store_as_it_was(clock):
    role = JobRoleFactory()
    course = make_course(title="HIPAA")
    require(course, role, before_first_shift=True)
    person = StaffProfileFactory(job_role=role, hire_date=TODAY)
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        completion_record(staff=person, course=course.page, score=100)
        assert stored(person).ready_for_floor is True
        raise RuntimeError("the request failed after the completion")
    assert snapshot() == before
    assert stored(person).ready_for_floor is False


def test_a_credential_expiring_today_is_expired_after_the_nightly_run(clock):
    role = JobRoleFactory()
    cpr = CredentialTypeFactory(name="CPR", warning_days=30)
    CredentialRequirementFactory(job_role=role, credential_type=cpr)
    person = StaffProfileFactory(job_role=role)
    CredentialFactory(staff=person, credential_type=cpr, expires_on=TODAY)
    state = cells().get(staff=person)
    assert state.status == "expiring"
    assert stored(person).fresh_until == TODAY  # right through today only

    clock.shift(dt.timedelta(days=1))
    assert refresh_readiness_by_date() == 1
    state = cells().get(staff=person)
    assert state.status == "expired"
    row = stored(person)
    assert (row.expired, row.fully_compliant, row.computed_on) == (
        1,
        False,
        TODAY + dt.timedelta(days=1),
    )
    assert refresh_readiness_by_date() == 0  # twice is harmless


def test_a_person_whose_rows_were_lost_is_back_on_the_next_page(clock, client):
    """Rows lost behind the store's back (the check compares two counts first)
    come back on the next read: the person is on the "not compliant" list again."""
    role = JobRoleFactory()
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=role, credential_type=cpr)
    person = StaffProfileFactory(job_role=role, user__last_name="Lostrow")
    StaffProfileFactory(job_role=role)
    readiness_flush()  # what the hires' commit does
    PersonReadiness.objects.filter(staff=person).delete()
    client.force_login(make_hr())
    page = client.get(reverse("compliance:matrix"), {"verdict": "not_compliant"})
    assert "Lostrow" in page.content.decode()
    assert stored(person).fully_compliant is False


def test_the_dashboard_is_right_without_the_nightly_run(clock, client):
    role = JobRoleFactory()
    cpr = CredentialTypeFactory(name="CPR", warning_days=30)
    CredentialRequirementFactory(job_role=role, credential_type=cpr)
    person = StaffProfileFactory(job_role=role)
    CredentialFactory(staff=person, credential_type=cpr, expires_on=TODAY)
    client.force_login(make_hr())
    clock.shift(dt.timedelta(days=1))
    page = client.get(reverse("compliance:dashboard")).content.decode()
    assert "Overdue and expired (1)" in page
    assert RequirementState.objects.get(staff=person).status == "expired"


def test_the_matrix_reads_its_cells_from_the_store_as_the_roll_up_says(clock, client):
    """The cells of a matrix page come from the store, word for word what the
    roll-up says, and a "3 days ago" reads "4 days ago" the next day."""
    from readiness.selectors import readiness_from_store

    role = JobRoleFactory()
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=role, credential_type=cpr, due_within_days=30)
    course = make_course(title="HIPAA")
    require(course, role, before_first_shift=True)
    late = StaffProfileFactory(job_role=role, hire_date=TODAY - dt.timedelta(days=33))
    fine = StaffProfileFactory(job_role=role, team=late.team)
    CredentialFactory(staff=fine, credential_type=cpr)
    ids = [late.pk, fine.pk]
    for day in (TODAY, TODAY + dt.timedelta(days=1)):
        clock.move_to(dt.datetime.combine(day, NOON.timetz()))
        client.force_login(make_hr())
        page = client.get(reverse("compliance:matrix")).content.decode()
        days = (day - (TODAY - dt.timedelta(days=3))).days
        assert f"({days} days ago)" in page
        live = readiness_for(staff_ids=ids, as_of=day)
        kept = readiness_from_store(staff_ids=ids, as_of=day)
        for pk in ids:
            assert sorted(
                (c.key, c.status, c.detail, c.url) for c in kept[pk].cells.values()
            ) == sorted(
                (c.key, c.status, c.detail, c.url) for c in live[pk].cells.values()
            )
            assert kept[pk].ready_for_floor == live[pk].ready_for_floor


def test_rebuild_readiness_recomputes_everything_and_is_idempotent(clock):
    role = JobRoleFactory()
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=role, credential_type=cpr)
    people = [StaffProfileFactory(job_role=role) for _ in range(3)]
    CredentialFactory(
        staff=people[0], credential_type=cpr, expires_on=dt.date(2028, 6, 30)
    )
    expected = snapshot()
    # Rows lost or written behind the store's back (a bulk load) come back.
    PersonReadiness.objects.filter(staff=people[1]).delete()
    Credential.objects.bulk_create(
        [
            Credential(
                staff=people[2],
                credential_type=cpr,
                expires_on=TODAY,
                verification_status="verified",
            )
        ]
    )
    call_command("rebuild_readiness", verbosity=0)
    people_rows, states = snapshot()
    assert len(people_rows) == len(expected[0])
    assert [s[4] for s in states] == ["current", "missing", "expiring"]
    again = snapshot()
    call_command("rebuild_readiness", verbosity=0)
    assert snapshot() == again


# --- The incremental store equals a rebuild after any sequence of changes ------------

ACTIONS = (
    "complete",
    "add_credential",
    "verify",
    "reject",
    "supersede",
    "sign_off",
    "change_role",
    "add_requirement",
    "remove_requirement",
    "terminate",
    "advance",
    "move_team",
    "change_team",
    "orientation_days",
    "warning_days",
    "group_member",
    "unpublish",
    "publish",
)


@pytest.fixture
def world(clock):
    roles = [JobRoleFactory(name="Technician"), JobRoleFactory(name="Nurse")]
    team = TeamFactory()
    course = make_course(title="HIPAA", retrain_months=12)
    types = [
        CredentialTypeFactory(name="CPR", warning_days=30, validity_months=24),
        CredentialTypeFactory(name="RN license", warning_days=60),
    ]
    checklist = SkillChecklistFactory(name="Vital signs", recheck_months=3)
    require(course, roles[0], before_first_shift=True)
    CredentialRequirementFactory(job_role=roles[1], credential_type=types[1])
    SkillRequirementFactory(job_role=None, checklist=checklist)
    # Scoped to a program and to a site: moving teams moves these.
    sites, programs = (
        [SiteFactory(), SiteFactory()],
        [ProgramFactory(), ProgramFactory()],
    )
    teams = [team, TeamFactory(site=sites[1], program=programs[1])]
    fire = make_course(title="Fire safety")
    require(fire, None, program=programs[0])  # within the role's orientation days
    group = CredentialGroup.objects.create(name="De-escalation")
    group.members.add(types[0])
    CredentialRequirementFactory(
        job_role=None, credential_type=None, group=group, site=sites[1]
    )
    people = [
        StaffProfileFactory(job_role=roles[n % 2], team=team, hire_date=TODAY)
        for n in range(3)
    ]
    return {
        "sites": sites,
        "programs": programs,
        "teams": teams,
        "fire": fire,
        "group": group,
        "roles": roles,
        "course": course,
        "types": types,
        "checklist": checklist,
        "people": people,
        "hr": make_hr(),
        "clock": clock,
    }


def _apply(world, action: str, who: int, which: int, days: int) -> None:
    person = StaffProfile.objects.get(pk=world["people"][who].pk)
    ctype = world["types"][which % 2]
    today = agency_today()
    pending = Credential.objects.filter(
        staff=person, verification_status="pending"
    ).first()
    if action == "complete":
        completion_record(staff=person, course=world["course"].page, score=100)
    elif action in ("add_credential", "supersede"):
        CredentialFactory(
            staff=person,
            credential_type=ctype,
            issued_on=today - dt.timedelta(days=400),
            expires_on=today + dt.timedelta(days=days - 5),
            verification_status="verified" if action == "supersede" else "pending",
        )
    elif action == "verify" and pending is not None:
        credential_verify(credential=pending, by=world["hr"], notify=False)
    elif action == "reject" and pending is not None:
        credential_reject(credential=pending, by=world["hr"], reason="Unreadable")
    elif action == "sign_off":
        make_signoff(
            staff=person,
            checklist=world["checklist"],
            signed_by=world["hr"],
            observed_on=today - dt.timedelta(days=days),
            met=bool(which % 2),
        )
    elif action == "change_role":
        person.job_role = world["roles"][which % 2]
        person.save()
    elif action == "add_requirement":
        role = world["roles"][which % 2]
        if not CredentialRequirement.objects.filter(
            job_role=role, credential_type=ctype
        ).exists():
            CredentialRequirementFactory(
                job_role=role, credential_type=ctype, due_within_days=days
            )
    elif action == "remove_requirement":
        requirement = CredentialRequirement.objects.filter(
            credential_type=ctype
        ).first()
        if requirement is not None:
            requirement.delete()
    elif action == "terminate" and person.termination_date is None:
        person.termination_date = today + dt.timedelta(days=days % 3)
        person.save()
    elif action == "move_team":
        team = Team.objects.get(pk=world["teams"][which % 2].pk)
        team.site = world["sites"][days % 2]
        team.program = world["programs"][(days // 2) % 2]
        team.save()
    elif action == "change_team":
        person.team = world["teams"][which % 2]
        person.save()
    elif action == "orientation_days":
        role = world["roles"][which % 2]
        role.orientation_days = days % 60 + 1
        role.save()
    elif action == "warning_days":
        ctype.reminder_days = str(days % 90 + 1)
        ctype.save()
    elif action == "group_member":
        group = world["group"]
        if group.members.filter(pk=ctype.pk).exists():
            group.members.remove(ctype)
        else:
            group.members.add(ctype)
    elif action == "unpublish":
        page = CoursePage.objects.get(pk=world["fire"].page.pk)
        if page.live:
            page.unpublish()
    elif action == "publish":
        page = CoursePage.objects.get(pk=world["fire"].page.pk)
        if not page.live:
            page.save_revision().publish()
    elif action == "advance":
        world["clock"].shift(dt.timedelta(days=days))
        refresh_readiness_by_date()


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(ACTIONS),
            st.integers(0, 2),
            st.integers(0, 3),
            st.sampled_from([0, 1, 2, 10, 29, 31, 61, 95, 400]),
        ),
        min_size=5,
        max_size=25,
    )
)
def test_the_kept_store_equals_a_rebuild_after_any_changes(world, steps):
    start = agency_today()
    with transaction.atomic():
        for step in steps:
            _apply(world, *step)
        today = agency_today()
        refresh_readiness_by_date()
        kept = snapshot()
        readiness_rebuild(as_of=today)
        assert kept == snapshot()
        # The verdict filters as WHERE clauses pick the people the roll-up picks.
        ids = [p.pk for p in world["people"]]
        rolled = readiness_for(staff_ids=ids, as_of=today)
        for verdict, (_label, test) in VERDICT_FILTERS.items():
            where = set(
                StaffProfile.objects.filter(pk__in=ids)
                .filter(VERDICT_WHERE[verdict])
                .values_list("pk", flat=True)
            )
            assert where == {pk for pk, r in rolled.items() if test(r)}, verdict
        transaction.set_rollback(True)
    world["clock"].move_to(dt.datetime.combine(start, dt.time(17), tzinfo=dt.UTC))


def test_a_change_to_many_people_is_saved_at_once_and_a_worker_catches_up(
    clock, client, settings, django_capture_on_commit_callbacks
):
    """Past READINESS_INLINE_LIMIT people, a requirement is saved without
    recomputing them in the request: their rows are marked stale, the pages say
    the figures lag (each visible cell is still right), and the queued refresh
    brings the store back to what a rebuild gives."""
    settings.READINESS_INLINE_LIMIT = 2
    role = JobRoleFactory()
    team = TeamFactory()
    people = []
    for _ in range(4):
        people.append(StaffProfileFactory(job_role=role, team=team))
        readiness_flush()  # what each hire's commit does
    assert not PersonReadiness.objects.filter(stale=True).exists()
    cpr = CredentialTypeFactory(name="CPR")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        CredentialRequirementFactory(
            job_role=None, credential_type=cpr, before_first_shift=True
        )
    # The marked people are refreshed once, at commit: past the limit, that is
    # one worker's catch-up, published after commit.
    names = [c.__qualname__.split(".")[-1] for c in queued]
    assert names.count("flush_at_commit") == 1
    with django_capture_on_commit_callbacks(execute=False) as worker:
        for callback in queued:
            callback()
    assert [c.__qualname__ for c in worker].count("_publish_catch_up") == 1
    assert PersonReadiness.objects.filter(stale=True).count() == 4
    assert not RequirementState.objects.filter(key=f"credential:{cpr.pk}").exists()

    client.force_login(make_hr())
    page = client.get(reverse("compliance:matrix")).content.decode()
    assert 'id="store-lag"' in page and "touches 4 people" in page
    assert page.count('data-label="CPR"') == 4  # worked out for the page itself
    dashboard = client.get(reverse("compliance:dashboard")).content.decode()
    assert 'id="store-lag"' in dashboard

    assert refresh_readiness_by_date() == 4  # what the queued task does
    assert not PersonReadiness.objects.filter(stale=True).exists()
    assert all(not stored(p).ready_for_floor for p in people)
    page = client.get(reverse("compliance:matrix")).content.decode()
    assert 'id="store-lag"' not in page
    kept = snapshot()
    readiness_rebuild()
    assert snapshot() == kept


def test_a_new_agency_time_zone_refreshes_everyone(clock):
    """Pacific/Kiritimati is a day ahead of UTC at noon in New York's evening:
    every row is worked out again for the new "today"."""
    from portal.models import Agency
    from tests.factories import AgencyFactory

    agency = Agency.objects.order_by("pk").first() or AgencyFactory()
    agency.time_zone = "America/New_York"
    agency.save()
    person = StaffProfileFactory()
    assert stored(person).computed_on == TODAY
    clock.move_to(dt.datetime(2026, 11, 25, 23, 0, tzinfo=dt.UTC))
    agency.time_zone = "Pacific/Kiritimati"
    agency.save()
    assert stored(person).computed_on == TODAY + dt.timedelta(days=1)


def test_page_views_queue_one_catch_up_while_the_store_lags(
    clock, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """While a worker's catch-up is queued, page views that find the store behind
    queue no other; once it has started, the next lag queues one again."""
    published = []
    monkeypatch.setattr(services, "publish", lambda task: not published.append(task))
    settings.READINESS_INLINE_LIMIT = 1
    people = [StaffProfileFactory() for _ in range(3)]
    readiness_flush()
    PersonReadiness.objects.filter(staff__in=people).update(stale=True)
    client.force_login(make_hr())
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            page = client.get(reverse("compliance:matrix")).content.decode()
        assert 'id="store-lag"' in page
    assert len(published) == 1
    services.catch_up_started()  # what the task does first
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("compliance:matrix"))
    assert len(published) == 2


def test_many_changes_to_one_person_in_a_transaction_compute_them_once(
    clock, monkeypatch, django_capture_on_commit_callbacks
):
    """Signals mark, one refresh computes: a hire, two credentials and a
    completion in one transaction recompute the person once, at commit."""
    role = JobRoleFactory()
    course = make_course(title="HIPAA")
    require(course, role, before_first_shift=True)
    cpr = CredentialTypeFactory(name="CPR")
    CredentialRequirementFactory(job_role=role, credential_type=cpr)
    computed: list[list[int]] = []
    rows = services._rows

    def counted(*, staff_ids, as_of):
        computed.append(list(staff_ids))
        return rows(staff_ids=staff_ids, as_of=as_of)

    monkeypatch.setattr(services, "_rows", counted)
    with django_capture_on_commit_callbacks(execute=True):
        person = StaffProfileFactory(job_role=role, hire_date=TODAY)
        CredentialFactory(
            staff=person, credential_type=cpr, verification_status="pending"
        )
        CredentialFactory(staff=person, credential_type=cpr)
        completion_record(staff=person, course=course.page, score=100)
        assert computed == []  # marked, not computed yet
    assert computed == [[person.pk]]
    row = PersonReadiness.objects.get(staff=person)
    assert (row.stale, row.ready_for_floor, row.fully_compliant) == (False, True, True)
