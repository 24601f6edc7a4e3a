"""A task queued by the web side runs on a real worker over a real Redis broker."""

import pytest

from portal.models import Heartbeat, Invitation, StaffProfile
from tests.factories import JobRoleFactory, TeamFactory
from tests.workers import (
    purge_broker,
    real_services_or_skip,
    start_worker,
    stop_worker,
    wait_for,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_invitation_queued_by_the_web_is_sent_by_a_real_worker(
    client, hr, running_worker
):
    client.force_login(hr)
    response = client.post(
        "/staff/add/",
        {
            "first_name": "Wren",
            "last_name": "Kowalski",
            "email": "wren.kowalski@example.org",
            "employee_id": "W-1",
            "job_role": JobRoleFactory().pk,
            "team": TeamFactory().pk,
            "hire_date": "2026-11-20",
            "roles": ["Staff"],
        },
    )
    assert response.status_code == 302
    staff = StaffProfile.objects.get(employee_id="W-1")
    sent = wait_for(
        lambda: Invitation.objects.filter(
            user=staff.user, sent_at__isnull=False
        ).exists()
    )
    assert sent, (
        f"the worker did not send the invitation; its log:\n{running_worker.log()}"
    )
    assert "wren.kowalski@example.org" in running_worker.mails()


def test_a_starting_worker_writes_a_heartbeat_so_healthz_is_ok(client, tmp_path):
    real_services_or_skip()
    purge_broker()
    assert client.get("/healthz").json()["worker"] == "not seen"
    worker = start_worker(tmp_path / "var")
    try:
        started = Heartbeat.objects.filter(source="worker-start")
        seen = wait_for(started.exists)
        log = (tmp_path / "var" / "worker.log").read_text(errors="replace")
        assert seen, f"no heartbeat from the starting worker; its log:\n{log[-3000:]}"
        response = client.get("/healthz")
        assert response.status_code == 200, response.json()
    finally:
        stop_worker(worker)
