"""A booking's email goes through the outbox to a real worker over a real broker."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.models import OutboundEmail
from tests.classes.factories import make_session
from tests.factories import StaffProfileFactory
from tests.workers import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_booking_email_is_sent_once_by_a_real_worker(client, running_worker):
    session = make_session(
        capacity=2,
        starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=14),
    )
    person = StaffProfileFactory()
    client.force_login(person.user)
    response = client.post(f"/classes/{session.pk}/book/")
    assert response.status_code == 302
    row = OutboundEmail.objects.get(kind="class_booked")
    sent = wait_for(
        lambda: OutboundEmail.objects.filter(pk=row.pk, sent_at__isnull=False).exists()
    )
    assert sent, (
        f"the worker did not send the booking email; its log:\n{running_worker.log()}"
    )
    mails = running_worker.mails()
    assert mails.count(f"Message-ID: {row.message_id}") == 1
    assert person.user.email in mails and "class.ics" in mails
