"""Reachability checks for /healthz."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection

logger = logging.getLogger(__name__)


def database_status() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz: database unreachable: %s", exc)
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"


def broker_status(url: str | None = None, timeout: float = 2.0) -> tuple[bool, str]:
    url = url or settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # One probe file per check: concurrent checks never delete each other's.
            probe = folder / f".healthz-{uuid.uuid4().hex}"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            logger.warning("healthz: queue folder not writable: %s", exc)
            return False, "unreachable"
        return True, "ok"
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            # kombu takes the seconds as a float; its stub says int.
            conn.ensure_connection(max_retries=1, timeout=timeout)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz: broker unreachable: %s", exc)
        return False, "unreachable"
    return True, "ok"


def worker_status() -> tuple[bool, str | None]:
    """Whether a worker wrote a heartbeat lately, and when it last did (ISO 8601).

    Workers write one when they start and the scheduler asks for one every minute,
    so a missing or stale heartbeat means the background work has stopped.
    """
    from .models import Heartbeat

    beat = Heartbeat.objects.order_by("-created_at").first()
    if beat is None:
        return False, None
    max_age = timedelta(seconds=settings.HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS)
    return timezone.now() - beat.created_at <= max_age, beat.created_at.isoformat()
