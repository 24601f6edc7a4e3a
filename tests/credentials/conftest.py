import datetime as dt

import pytest

from portal.roles import Role
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import StaffProfileFactory, UserFactory

EXP = dt.date(2026, 6, 15)


@pytest.fixture
def cpr(db):
    return CredentialTypeFactory(name="CPR / First Aid", code="cpr")


@pytest.fixture
def hr_person(db):
    return UserFactory(roles=[Role.STAFF, Role.HR], email="hr@example.org")


@pytest.fixture
def worker_staff(team, supervisor):
    return StaffProfileFactory(team=team, user__email="worker@example.org")


@pytest.fixture
def expiring(worker_staff, cpr):
    return CredentialFactory(staff=worker_staff, credential_type=cpr, expires_on=EXP)
