"""Background work for accounts: thin tasks that call a service."""

from smtplib import SMTPException

from celery import shared_task

from . import services
from .queue import retrying


@shared_task(**retrying(autoretry_for=(SMTPException, OSError)))
def send_invitation(invitation_id: int) -> bool:
    return services.invitation_send(invitation_id=invitation_id)


@shared_task
def record_heartbeat(source: str = "beat") -> int:
    """Proof the scheduler and a worker run; keeps only the last day of rows."""
    return services.heartbeat_record(source=source)


@shared_task
def apply_terminations() -> int:
    """Close the accounts of people whose termination date has come (agency time)."""
    return services.staff_terminations_apply()


@shared_task
def requeue_unsent_invitations(older_than_minutes: int = 10) -> int:
    """Queue again every invitation still unsent (a broker that was down)."""
    return services.invitations_requeue(older_than_minutes=older_than_minutes)
