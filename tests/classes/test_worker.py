"""A booking's email goes through the outbox to a real worker over a real broker."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import OutboundEmail
from tests.classes.factories import make_session
from tests.factories import StaffProfileFactory
from tests.workers import (
    eager_off,
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


def test_a_booking_email_is_sent_once_by_a_real_worker(client, tmp_path):
    real_services_or_skip()
    purge_broker()
    session = make_session(
        capacity=2,
        starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=14),
    )
    person = StaffProfileFactory()
    worker = start_worker(tmp_path / "var")
    try:
        client.force_login(person.user)
        with eager_off():
            response = client.post(f"/classes/{session.pk}/book/")
        assert response.status_code == 302
        row = OutboundEmail.objects.get(kind="class_booked")
        sent = wait_for(
            lambda: OutboundEmail.objects.filter(
                pk=row.pk, sent_at__isnull=False
            ).exists()
        )
        log = (tmp_path / "var" / "worker.log").read_text(errors="replace")
        assert sent, (
            f"the worker did not send the booking email; its log:\n{log[-3000:]}"
        )
        mails = "".join(
            m.read_text() for m in (tmp_path / "var" / "mail").glob("*.log")
        )
        assert mails.count(f"Message-ID: {row.message_id}") == 1
        assert person.user.email in mails and "class.ics" in mails
    finally:
        stop_worker(worker)
