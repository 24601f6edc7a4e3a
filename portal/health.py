"""Reachability checks for /healthz."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
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
            probe = folder / ".healthz"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            return False, f"queue folder not writable: {exc}"
        return True, "ok (filesystem transport)"
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz: broker unreachable: %s", exc)
        return False, f"unreachable: {exc.__class__.__name__}"
    return True, "ok"
