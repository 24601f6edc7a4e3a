"""A change past READINESS_INLINE_LIMIT marks people stale while a worker's batch
refresh of the same people is under way: the new requirement is never lost.
Runs on PostgreSQL (two real connections); SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection, connections

from readiness import services
from readiness.models import PersonReadiness, RequirementState
from tests.credentials.factories import (
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import JobRoleFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_deferred_mark_racing_a_worker_refresh_keeps_the_new_requirement(
    settings, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.READINESS_INLINE_LIMIT = 1
    role = JobRoleFactory()
    people = [StaffProfileFactory(job_role=role) for _ in range(3)]
    ids = [p.pk for p in people]
    cpr = CredentialTypeFactory(name="CPR")
    # The catch-up the change queues is what would hide a lost mark: not run.
    monkeypatch.setattr(services, "_queue_refresh", lambda: None)

    computed, change_started, change_done = (threading.Event() for _ in range(3))
    worker = threading.current_thread()
    rows = services._rows
    holder: dict = {}

    def slow_rows(**kwargs):
        # The worker has read the records (before the requirement exists) and
        # waits a moment for the change to mark the same people.
        result = rows(**kwargs)
        if threading.current_thread() is holder.get("worker"):
            computed.set()
            change_started.wait(timeout=10)
            change_done.wait(timeout=2)  # blocked by the rows' locks: not done
        return result

    monkeypatch.setattr(services, "_rows", slow_rows)
    errors: list[BaseException] = []

    def refresh():
        try:
            services.readiness_refresh(staff_ids=ids)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def change():
        try:
            computed.wait(timeout=10)
            change_started.set()
            CredentialRequirementFactory(
                job_role=role, credential_type=cpr, before_first_shift=True
            )
            change_done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh), threading.Thread(target=change)]
    holder["worker"] = threads[0]
    assert worker is not threads[0]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors

    # The worker's catch-up (queued by the change) brings in the requirement:
    # the rows it finds are stale, or already hold it.
    services.readiness_catch_up(as_of=services.agency_today())
    key = f"credential:{cpr.pk}"
    assert set(
        RequirementState.objects.filter(key=key).values_list("staff_id", flat=True)
    ) == set(ids)
    assert not PersonReadiness.objects.filter(staff_id__in=ids, ready_for_floor=True)
