"""Factories for the organization; apps add theirs in tests/<app>/factories.py."""

import datetime as dt
import os
import time

import factory
from django.contrib.auth.models import Group

from portal.models import Agency, JobRole, Program, Site, StaffProfile, Team, User
from portal.roles import Role

PASSWORD = "a-good-test-password-1"

# The day the factories' fixed dates were written against, and where the suite's
# clock move (--shift-days, tests/conftest.py) is kept for them.
WRITTEN_ON = dt.date(2026, 12, 7)
CLOCK_SHIFT_ENV = "MILIEU_TEST_SHIFT_DAYS"


def as_written(day: dt.date) -> dt.date:
    """``day`` as far from today as it was from WRITTEN_ON, so a factory's "hired in
    January", "expires in a few weeks" stays true on any date, and on any date the
    suite's clock is moved to. A test that sets its own clock (time-machine) sees
    ``day`` itself: its dates were chosen against that clock."""
    from time_machine import escape_hatch

    shift = int(os.environ.get(CLOCK_SHIFT_ENV) or 0)
    travelling = escape_hatch.is_travelling()
    moved_by = time.time() - escape_hatch.time.time() if travelling else 0.0
    if abs(moved_by - shift * 86400) > 86400:
        return day  # a test's own clock
    from portal.dates import agency_today

    # Only ever earlier: a clock moved forward meets the dates as written (people
    # hired and cards issued long ago), as tests that judge fixtures at a fixed
    # day of their own expect; a clock moved back must not meet people hired in
    # its future.
    return day + min(agency_today() - WRITTEN_ON, dt.timedelta(0))


def written(day: dt.date) -> factory.LazyFunction:
    """A factory default of ``day``, moved as ``as_written`` says."""
    return factory.LazyFunction(lambda: as_written(day))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        for role in extracted or [Role.STAFF]:
            group, _ = Group.objects.get_or_create(name=str(role))
            self.groups.add(group)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Test Agency"
    time_zone = "America/New_York"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Program {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    site = factory.SubFactory(SiteFactory)
    program = factory.SubFactory(ProgramFactory)

    @factory.post_generation
    def supervisors(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervisors.add(*extracted)


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Job role {n}")
    code = factory.Sequence(lambda n: f"role-{n}")
    orientation_days = 30


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    employee_id = factory.Sequence(lambda n: f"T{n:05d}")
    job_role = factory.SubFactory(JobRoleFactory)
    team = factory.SubFactory(TeamFactory)
    hire_date = written(dt.date(2026, 1, 5))


def make_supervisor(*teams, **kwargs) -> User:
    """A supervisor of ``teams``."""
    user = UserFactory(roles=[Role.STAFF, Role.SUPERVISOR], **kwargs)
    for team in teams:
        team.supervisors.add(user)
    return user


def make_hr(**kwargs) -> User:
    return UserFactory(roles=[Role.STAFF, Role.HR], **kwargs)
