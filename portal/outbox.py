"""The outbox: every email the portal owes someone is a row before it is a message.

``outbox_add(kind=..., key=..., message=...)`` writes an ``OutboundEmail`` row in the
caller's transaction (one row per ``key``, whoever asks twice) and queues its send
after commit through ``portal.queue.enqueue``. ``outbox_send`` sends one row under a
row lock and marks it sent only once the mail server has accepted it; a failure is
recorded on the row (``attempts``, ``last_error``) with a backoff, and
``outbox_requeue`` (beat, every minute, and every worker as it starts) queues again
each row whose time has come, until ``EMAIL_MAX_SEND_ATTEMPTS`` attempts, after which
the row is marked given up (``failed_at``; listed in the admin). Every attempt
carries the same ``Message-ID``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboundEmail
from .queue import enqueue

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)

# The first queue after commit gets this long before beat queues the row again.
FIRST_ATTEMPT_GRACE = dt.timedelta(minutes=2)


def message_domain() -> str:
    """The domain of Message-IDs: the sender's (stable across hosts and workers)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "milieu"


def outbox_message_id(key: str) -> str:
    """The one Message-ID of the logical email ``key`` (every attempt carries it)."""
    local = re.sub(r"[^A-Za-z0-9.\-]", "-", key)[:180]
    return f"<{local}@{message_domain()}>"


def backoff(attempts: int) -> dt.timedelta:
    """How long after its ``attempts``-th failure a row is tried again: one minute,
    doubling, at most an hour."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def _attachments(message: EmailMessage) -> list[dict[str, str]]:
    kept = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, bytes):
            kept.append(
                {
                    "filename": filename,
                    "content": base64.b64encode(content).decode("ascii"),
                    "mimetype": mimetype or "application/octet-stream",
                    "encoding": "base64",
                }
            )
        else:
            kept.append(
                {
                    "filename": filename,
                    "content": str(content),
                    "mimetype": mimetype or "text/plain",
                }
            )
    return kept


def outbox_add(
    *,
    kind: str,
    key: str,
    message: EmailMessage,
    recipient: User | None = None,
    send_now: bool = False,
) -> OutboundEmail:
    """Put ``message`` in the outbox as the logical email ``key`` (a second call with
    the same key returns the first row and queues nothing) and queue its send after
    commit; ``send_now`` also tries it at once (a person is waiting for it)."""
    alternatives = (
        message.alternatives if isinstance(message, EmailMultiAlternatives) else []
    )
    html = next(
        (str(body) for body, mimetype in alternatives if mimetype == "text/html"),
        "",
    )
    headers = {
        k: str(v) for k, v in message.extra_headers.items() if k.lower() != "message-id"
    }
    message_id = str(message.extra_headers.get("Message-ID") or outbox_message_id(key))
    try:
        with transaction.atomic():
            row = OutboundEmail.objects.create(
                kind=kind,
                dedupe_key=key,
                recipient=recipient,
                to=list(message.to),
                from_email=message.from_email or "",
                subject=str(message.subject),
                body_text=str(message.body),
                body_html=html,
                headers=headers,
                attachments=_attachments(message),
                message_id=message_id,
                next_attempt_at=timezone.now() + FIRST_ATTEMPT_GRACE,
            )
    except IntegrityError:
        return OutboundEmail.objects.get(dedupe_key=key)
    if send_now:
        outbox_send(email_id=row.pk)
    else:
        from .tasks import send_outbound_email

        enqueue(send_outbound_email, row.pk)
    return row


def outbox_message(row: OutboundEmail) -> EmailMultiAlternatives:
    """The message of ``row``, the same at every attempt."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email or None,
        to=list(row.to),
        headers={**row.headers, "Message-ID": row.message_id},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        content: str | bytes = attachment["content"]
        if attachment.get("encoding") == "base64":
            content = base64.b64decode(attachment["content"])
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def outbox_send(*, email_id: int) -> bool:
    """Send one outbox row once: locked (a second delivery of the task skips it),
    marked sent only after the mail server accepts. A failure is recorded on the row
    and retried later by ``outbox_requeue``; returns whether it was sent now."""
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .unsent()
            .select_related("recipient")
            .filter(pk=email_id)
            .first()
        )
        if row is None:
            return False
        now = timezone.now()
        if row.recipient is not None and not row.recipient.is_active:
            row.failed_at = now
            row.last_error = "The account was closed before the email went out."
            row.save(update_fields=["failed_at", "last_error"])
            return False
        row.attempts += 1
        try:
            outbox_message(row).send()
        except Exception as exc:  # noqa: BLE001 - recorded on the row, retried by beat
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.next_attempt_at = now + backoff(row.attempts)
            if row.attempts >= settings.EMAIL_MAX_SEND_ATTEMPTS:
                row.failed_at = now
            row.save(
                update_fields=["attempts", "last_error", "next_attempt_at", "failed_at"]
            )
            logger.warning(
                "Email %s (%s) not sent, attempt %s: %s",
                row.pk,
                row.kind,
                row.attempts,
                row.last_error,
            )
            return False
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


def outbox_due(*, everything: bool = False) -> list[int]:
    """Ids of unsent rows whose next attempt is due (``everything``: all unsent)."""
    rows = OutboundEmail.objects.unsent()
    if not everything:
        rows = rows.filter(next_attempt_at__lte=timezone.now())
    return list(
        rows.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:5000]
    )


@transaction.atomic
def outbox_requeue(*, everything: bool = False) -> int:
    """Queue again every unsent row whose time has come (a broker that was down, a
    mail server that failed); returns how many. A row queued twice is sent once."""
    from .tasks import send_outbound_email

    ids = outbox_due(everything=everything)
    # Not again before the task has had its chance (it moves this on a failure).
    OutboundEmail.objects.filter(pk__in=ids).update(
        next_attempt_at=timezone.now() + FIRST_ATTEMPT_GRACE
    )
    for pk in ids:
        enqueue(send_outbound_email, pk)
    return len(ids)
