"""Bulk work off the request: a staff import, a course assigned to many people, a
retraining of past completers, run by a worker in batches with progress on a page.

An app registers a kind (``register_kind``): how to find its rows, and how to
apply one. ``bulk_job_create`` saves the job and queues it after commit;
``bulk_job_run`` applies the rows in batches, one transaction per batch that also
saves how many rows are done, so a job stopped halfway (a worker killed, the
database gone) has saved whole batches only and a retry resumes after them. A row
refused (bad data) is listed and never stops the batch. Inside a batch, changes
that would recompute a person's figures note the person instead
(``defer_people``); each is recomputed once at the batch's end.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import BulkJob, User
from .queue import enqueue

logger = logging.getLogger(__name__)


class RowRefused(Exception):
    """One row cannot be applied; the message says why (shown to the user)."""


# Bad data in one row: listed, and the batch goes on. Anything else (the database
# gone, a bug) stops the job, which keeps the batches already saved.
ROW_ERRORS: tuple[type[BaseException], ...] = (
    RowRefused,
    ValidationError,
    IntegrityError,
    ObjectDoesNotExist,
)


@dataclass(frozen=True)
class Row:
    number: int  # as the user knows it (a line of the file, a position)
    name: str
    item: Any


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does: its rows (found again on every run, in the same
    order), and how to apply one (raise ``RowRefused`` to refuse it)."""

    rows: Callable[[BulkJob], Sequence[Row]]
    apply: Callable[[BulkJob, Row, Any, Counter], None]
    # Loads what a batch of rows needs in a few queries (people in bulk).
    load: Callable[[BulkJob, Sequence[Row]], Any] = lambda job, rows: None
    # "Import done: 3 created, ..." from the job's counts.
    summary: Callable[[BulkJob], str] = lambda job: ""
    # Where to start a new one (the page the job came from).
    back_url: Callable[[BulkJob], str] = lambda job: "/"
    # Jobs of this kind run one at a time (e.g. imports), around the whole run.
    exclusive: Callable[[], contextlib.AbstractContextManager[Any]] = field(
        default=contextlib.nullcontext
    )


_kinds: dict[str, JobKind] = {}
_people_refreshers: list[Callable[[list[int]], Any]] = []
_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "milieu_bulk_deferred", default=None
)


def register_kind(name: str, kind: JobKind) -> None:
    """Make ``name`` a kind of bulk job (from an app's ``ready()``)."""
    _kinds[name] = kind


def kind_of(job: BulkJob) -> JobKind:
    return _kinds[job.kind]


def jobs_of(*, kind: str) -> QuerySet[BulkJob]:
    """Jobs of ``kind``, newest first (the list under the page that starts them)."""
    return BulkJob.objects.filter(kind=kind).select_related("requested_by")


def register_people_refresh(refresh: Callable[[list[int]], Any]) -> None:
    """``refresh(staff_ids)`` recomputes what a bulk batch deferred (the readiness
    store registers its refresh)."""
    if refresh not in _people_refreshers:
        _people_refreshers.append(refresh)


def defer_people(staff_ids: Iterable[int]) -> bool:
    """Inside a bulk batch, note ``staff_ids`` for one recompute at the batch's end
    and answer True; outside one, answer False (recompute now)."""
    noted = _deferred.get()
    if noted is None:
        return False
    noted.update(pk for pk in staff_ids if pk is not None)
    return True


@contextlib.contextmanager
def people_batch() -> Iterator[set[int]]:
    """Defer per-person recomputes inside the block; do them once, together, at its
    end (in the caller's transaction)."""
    noted: set[int] = set()
    token = _deferred.set(noted)
    try:
        yield noted
    finally:
        _deferred.reset(token)
    if noted:
        for refresh in _people_refreshers:
            refresh(sorted(noted))


def batch_size() -> int:
    return max(1, settings.BULK_JOB_BATCH)


@transaction.atomic
def bulk_job_create(
    *, kind: str, title: str, params: dict, by: User | None, total: int = 0
) -> BulkJob:
    """Save a job of ``kind`` and queue it after commit."""
    from .tasks import run_bulk_job

    if kind not in _kinds:
        raise ValueError(f"No bulk job kind {kind!r}")
    job = BulkJob.objects.create(
        kind=kind, title=title[:200], params=params, requested_by=by, total=total
    )
    enqueue(run_bulk_job, job.pk)
    return job


@transaction.atomic
def bulk_job_retry(*, job: BulkJob) -> bool:
    """Queue a failed job again: it resumes after the rows it saved."""
    from .tasks import run_bulk_job

    updated = BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.FAILED).update(
        status=BulkJob.Status.QUEUED, error="", updated_at=timezone.now()
    )
    if updated:
        enqueue(run_bulk_job, job.pk)
    return bool(updated)


def _claim(job_id: int) -> BulkJob | None:
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == BulkJob.Status.DONE:
            return None
        job.status = BulkJob.Status.RUNNING
        job.error = ""
        job.updated_at = timezone.now()
        job.save(update_fields=["status", "error", "updated_at"])
    return job


def _apply_batch(job: BulkJob, kind: JobKind, batch: Sequence[Row]) -> None:
    """Apply ``batch`` and save the job's progress (in the caller's transaction)."""
    counts = Counter(job.counts)
    problems: list[dict] = []
    with people_batch():
        context = kind.load(job, batch)
        for row in batch:
            try:
                with transaction.atomic():
                    kind.apply(job, row, context, counts)
            except ROW_ERRORS as exc:
                counts["refused"] += 1
                problems.append(
                    {"row": row.number, "name": row.name, "error": _reason(exc)}
                )
    # (The deferred recomputes ran at the end of ``people_batch``, inside the
    # batch's transaction: the progress below commits with them.)
    job.done += len(batch)
    job.counts = dict(counts)
    job.problems = [*job.problems, *problems]
    job.updated_at = timezone.now()
    job.save(update_fields=["done", "counts", "problems", "updated_at"])


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, IntegrityError):
        return "It clashes with a record saved at the same time; run it again."
    return str(exc) or "It could not be saved."


def bulk_job_run(*, job_id: int) -> str:
    """Apply a job's rows from where it stopped, a batch per transaction; returns
    its status. A finished job is left alone; a failure is recorded on the job."""
    job = _claim(job_id)
    if job is None:
        return "done-or-missing"
    kind = kind_of(job)
    try:
        with kind.exclusive():
            rows = kind.rows(job)
            job.total = len(rows)
            BulkJob.objects.filter(pk=job.pk).update(total=job.total)
            size = batch_size()
            while job.done < job.total:
                with transaction.atomic():
                    # A second run of the same job (a re-queue while a slow worker
                    # still ran it) takes turns, and goes on from the other's rows.
                    current = BulkJob.objects.select_for_update().get(pk=job.pk)
                    if current.status != BulkJob.Status.RUNNING:
                        return current.status
                    job.done, job.counts = current.done, current.counts
                    job.problems = current.problems
                    if job.done >= job.total:
                        break
                    _apply_batch(job, kind, rows[job.done : job.done + size])
    except Exception as exc:  # noqa: BLE001 - recorded on the job, which may be retried
        logger.exception("Bulk job %s stopped", job.pk)
        job.refresh_from_db(fields=["done", "total"])
        BulkJob.objects.filter(pk=job.pk).update(
            status=BulkJob.Status.FAILED,
            error=(
                f"Stopped at row {job.done + 1} of {job.total} ({type(exc).__name__})."
                f" The {job.done} rows before it are saved and nothing after; retry"
                " to continue from there."
            )[:500],
            updated_at=timezone.now(),
        )
        return BulkJob.Status.FAILED
    BulkJob.objects.filter(pk=job.pk).update(
        status=BulkJob.Status.DONE,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return BulkJob.Status.DONE


def bulk_jobs_requeue(*, older_than_minutes: int = 10) -> int:
    """Queue again jobs still waiting to start (a broker that was down) and running
    jobs that have not moved for a while (a worker that stopped)."""
    from django.db.models import Q

    from .tasks import run_bulk_job

    quiet_since = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        BulkJob.objects.filter(
            Q(status=BulkJob.Status.QUEUED, created_at__lt=quiet_since)
            | Q(status=BulkJob.Status.RUNNING, updated_at__lt=quiet_since),
            created_at__gte=timezone.now() - timedelta(days=2),
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in ids:
            enqueue(run_bulk_job, pk)
    return len(ids)
