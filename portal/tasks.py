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


@shared_task(acks_late=True)
def send_outbound_email(email_id: int) -> bool:
    """Send one outbox row (a failure is recorded on it and retried by beat)."""
    from .outbox import outbox_send

    return outbox_send(email_id=email_id)


@shared_task(acks_late=True)
def requeue_outbox(older_than_minutes: int | None = None) -> int:
    """Queue again the outbox rows still unsent whose next attempt is due (beat);
    a starting worker passes 0: every unsent row, without waiting."""
    from .outbox import outbox_requeue

    return outbox_requeue(everything=older_than_minutes == 0)


@shared_task(acks_late=True)
def run_bulk_job(job_id: int) -> str:
    """Run a bulk job (an import, a course assigned to many) from where it stopped;
    safe to run twice: rows saved are not applied again."""
    from .bulk import bulk_job_run

    return bulk_job_run(job_id=job_id)


@shared_task
def requeue_bulk_jobs(older_than_minutes: int = 10) -> int:
    """Queue again bulk jobs that never started or whose worker stopped."""
    from .bulk import bulk_jobs_requeue

    return bulk_jobs_requeue(older_than_minutes=older_than_minutes)
