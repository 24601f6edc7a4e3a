"""Background work for accounts: thin tasks that call a service."""

from smtplib import SMTPException

from celery import shared_task

from . import services
from .models import Heartbeat


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_invitation(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)


@shared_task
def record_heartbeat(source: str = "beat") -> int:
    """Proof the scheduler and a worker run; keeps only the last day of rows."""
    from datetime import timedelta

    from django.utils import timezone

    Heartbeat.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return Heartbeat.objects.create(source=source).pk


@shared_task
def apply_terminations() -> int:
    """Close the accounts of people whose termination date has come (agency time)."""
    return services.staff_terminations_apply()


@shared_task
def requeue_unsent_invitations(older_than_minutes: int = 10) -> int:
    """Queue again every invitation still unsent (a broker that was down)."""
    from portal.queue import enqueue

    ids = services.invitations_unsent(older_than_minutes=older_than_minutes)
    for pk in ids:
        enqueue(send_invitation, pk)
    return len(ids)
