"""Writes of the readiness store: recompute people's rows with the roll-up.

Every write runs in the caller's transaction, so a rolled-back change rolls its
readiness back with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet

from portal.dates import add_days, agency_today
from portal.fragments import person_changed
from portal.models import StaffProfile
from portal.queue import publish
from portal.requirements import Status
from portal.rollup import readiness_for

from .models import PersonReadiness, RequirementState

logger = logging.getLogger(__name__)

BATCH = 1000
COUNTED = {
    Status.CURRENT: "current",
    Status.EXPIRING: "expiring",
    Status.EXPIRED: "expired",
    Status.MISSING: "missing",
    Status.PENDING: "pending",
    Status.DUE: "due",
    Status.OVERDUE: "overdue",
    Status.GOAL: "goal",
}


def _fresh_until(*, person: dict, readiness, as_of: dt.date) -> dt.date | None:
    """The last day on which the rows computed on ``as_of`` are still right: the
    day before someone is hired or leaves, before any status (or the wording of
    its detail) changes by the date alone (asked of each provider's own rule), or
    before an unmet item becomes past due."""
    changes: list[dt.date] = []
    hired, left = person["hire_date"], person["termination_date"]
    if hired is not None and hired > as_of:
        changes.append(hired)
    if left is not None and left > as_of:
        changes.append(left)
    for cell in readiness.cells.values():
        day = cell.changes_on(as_of)
        if day is not None:
            changes.append(day)
        if cell.detail_changes_on is not None and cell.detail_changes_on > as_of:
            changes.append(cell.detail_changes_on)
        # The "compliant" verdict changes the day an unmet item becomes late,
        # even where its status word stays ("missing").
        late_on = cell.past_due_on(as_of)
        if late_on is not None:
            changes.append(late_on)
    return add_days(min(changes), -1) if changes else None


def _rows(*, staff_ids: list[int], as_of: dt.date):
    people = {
        p["pk"]: p
        for p in StaffProfile.objects.filter(pk__in=staff_ids).values(
            "pk", "hire_date", "termination_date"
        )
    }
    readiness = readiness_for(staff_ids=list(people), as_of=as_of)
    persons, states = [], []
    for pk, person in people.items():
        r = readiness[pk]
        counts = dict.fromkeys(COUNTED.values(), 0)
        for cell in r.cells.values():
            if cell.status in COUNTED:
                counts[COUNTED[cell.status]] += 1
            states.append(
                RequirementState(
                    staff_id=pk,
                    key=cell.key,
                    kind=cell.kind,
                    label=cell.label[:300],
                    status=cell.status,
                    before_first_shift=cell.before_first_shift,
                    due_on=cell.due_on,
                    expires_on=cell.expires_on,
                    detail=cell.detail[:300],
                    url=cell.url[:300],
                )
            )
        persons.append(
            PersonReadiness(
                staff_id=pk,
                on_staff=r.on_staff,
                ready_for_floor=r.ready_for_floor,
                fully_compliant=r.fully_compliant,
                computed_on=as_of,
                fresh_until=_fresh_until(person=person, readiness=r, as_of=as_of),
                **counts,
            )
        )
    return persons, states


def _rows_or_skip(*, staff_ids: list[int], as_of: dt.date):
    """``_rows`` of ``staff_ids``, leaving out (and logging) each person whose
    records cannot be worked out: one bad row is one person's problem, never a
    failed page or a rolled-back change for anyone else. Returns the rows and the
    ids left out."""
    try:
        # A savepoint: a database error leaves the caller's transaction usable.
        with transaction.atomic():
            persons, states = _rows(staff_ids=staff_ids, as_of=as_of)
        return persons, states, []
    except Exception:  # noqa: BLE001 - any failure stays with its person
        if len(staff_ids) == 1:
            logger.exception(
                "readiness: could not work out person %s; their rows are kept as "
                "they were and marked stale",
                staff_ids[0],
            )
            return [], [], list(staff_ids)
    persons, states, skipped = [], [], []
    for pk in staff_ids:
        p, s, failed = _rows_or_skip(staff_ids=[pk], as_of=as_of)
        persons += p
        states += s
        skipped += failed
    return persons, states, skipped


STATE_UPDATE_FIELDS = [
    "kind",
    "label",
    "status",
    "before_first_shift",
    "due_on",
    "expires_on",
    "detail",
    "url",
]
PERSON_UPDATE_FIELDS = [
    "on_staff",
    "ready_for_floor",
    "fully_compliant",
    *COUNTED.values(),
    "computed_on",
    "fresh_until",
    "stale",
]


def _placeholders(ids: Iterable[int]) -> list[PersonReadiness]:
    """Rows that say nothing yet but "out of date" (a person with no rows)."""
    return [
        PersonReadiness(
            staff_id=pk,
            on_staff=False,
            ready_for_floor=False,
            fully_compliant=False,
            computed_on=dt.date.min,
            fresh_until=dt.date.min,
            stale=True,
        )
        for pk in sorted(ids)
    ]


def _mark_stale(ids: list[int]) -> None:
    """Mark the rows of ``ids`` stale, in the caller's transaction: an upsert in
    the people's order, which waits for (and follows) a refresh holding their
    row locks, so a mark is never lost under a refresh's write."""
    PersonReadiness.objects.bulk_create(
        _placeholders(ids),
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["staff"],
        update_fields=["stale"],
    )


def _still_stale(*, ids: list[int], as_of: dt.date) -> list[int]:
    """Of ``ids`` (locked), those still out of date for ``as_of``: another
    worker may have refreshed them while this one waited for the locks."""
    fresh = set(
        PersonReadiness.objects.filter(
            staff_id__in=ids, stale=False, computed_on__lte=as_of
        )
        .filter(Q(fresh_until__isnull=True) | Q(fresh_until__gte=as_of))
        .values_list("staff_id", flat=True)
    )
    return [pk for pk in ids if pk not in fresh]


def _write(*, persons: list[PersonReadiness], states: list[RequirementState]) -> None:
    """Upsert the people's rows and cells; only cells no longer required are
    deleted (no delete-and-insert: a concurrent mark meets the same rows)."""
    PersonReadiness.objects.bulk_create(
        persons,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["staff"],
        update_fields=PERSON_UPDATE_FIELDS,
    )
    ids = [p.staff_id for p in persons]
    keep = {(s.staff_id, s.key) for s in states}
    gone = [
        pk
        for pk, staff_id, key in RequirementState.objects.filter(
            staff_id__in=ids
        ).values_list("pk", "staff_id", "key")
        if (staff_id, key) not in keep
    ]
    if gone:
        RequirementState.objects.filter(pk__in=gone).delete()
    if states:
        RequirementState.objects.bulk_create(
            states,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["staff", "key"],
            update_fields=STATE_UPDATE_FIELDS,
        )


def _refresh_batches(
    *,
    ids: list[int],
    as_of: dt.date,
    only_stale: bool,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    done_count = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            people = list(
                StaffProfile.objects.filter(pk__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            # Each person's row lock (a first row for someone new): a refresh and
            # a change's mark, or two refreshes, take turns, and the records are
            # read after the lock is held, so they include every committed change.
            PersonReadiness.objects.bulk_create(
                _placeholders(people), batch_size=BATCH, ignore_conflicts=True
            )
            list(
                PersonReadiness.objects.select_for_update()
                .filter(staff_id__in=people)
                .order_by("staff_id")
                .values_list("staff_id", flat=True)
            )
            if only_stale:
                people = _still_stale(ids=people, as_of=as_of)
            if people:
                persons, states, skipped = _rows_or_skip(staff_ids=people, as_of=as_of)
                if skipped:
                    PersonReadiness.objects.filter(staff_id__in=skipped).update(
                        stale=True
                    )
                _write(persons=persons, states=states)
                done_count += len(persons)
                # Every status change comes this way: what is kept of these
                # people's pages (their home panels) is drawn afresh after it
                # commits.
                person_changed(people)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return done_count


def readiness_refresh(
    *,
    staff_ids: Iterable[int],
    as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the store's rows of ``staff_ids`` as of ``as_of`` (today), in
    batches of ``BATCH`` people, each under the people's row locks, inside the
    caller's transaction; rows are upserted. Returns how many people were asked
    for. A person whose rows cannot be worked out is logged and skipped (their
    old rows stay, marked stale); the others are refreshed."""
    as_of = as_of or agency_today()
    ids = sorted(set(staff_ids))
    _refresh_batches(ids=ids, as_of=as_of, only_stale=False, progress=progress)
    return len(ids)


# The name the brief and the receivers use.
refresh = readiness_refresh


# --- Signals mark, one refresh computes --------------------------------------------


def _pending(connection) -> set[int]:
    """The people marked in the connection's current transaction."""
    if not hasattr(connection, "readiness_pending"):
        connection.readiness_pending = set()
    return connection.readiness_pending


def _hook_live(connection) -> bool:
    """Whether this transaction's refresh at commit is still to come (not run,
    not rolled back with a savepoint or the transaction)."""
    hook = getattr(connection, "readiness_hook", None)
    return hook is not None and any(
        func is hook for _ids, func, _robust in connection.run_on_commit
    )


def _forget_rolled_back(connection) -> None:
    if connection.in_atomic_block and not _hook_live(connection):
        _pending(connection).clear()  # left by a transaction that rolled back


def readiness_mark(staff_ids: Iterable[int]) -> None:
    """What a change's signal calls: the rows of ``staff_ids`` are out of date.
    They are marked stale now (in the change's transaction) and each person is
    recomputed once, when the transaction commits (``readiness_flush``), or by a
    worker when more than ``READINESS_INLINE_LIMIT`` people were marked."""
    connection = transaction.get_connection()
    _forget_rolled_back(connection)
    pending = _pending(connection)
    new = {pk for pk in staff_ids if pk is not None} - pending
    if not new:
        return
    _mark_stale(sorted(new))
    pending.update(new)
    if not _hook_live(connection):

        def flush_at_commit() -> None:
            _flush(transaction.get_connection())

        connection.readiness_hook = flush_at_commit
        transaction.on_commit(flush_at_commit, robust=True)


def _flush(connection) -> int:
    connection.readiness_hook = None  # a later mark asks for its own refresh
    pending = _pending(connection)
    if not pending:
        return 0
    ids = sorted(pending)
    pending.clear()
    if len(ids) <= inline_limit():
        readiness_refresh(staff_ids=ids)
        return 0
    _queue_refresh()  # their rows were marked stale with the change
    return len(ids)


def readiness_flush() -> int:
    """Recompute now the people marked in this transaction (what its commit
    does; a read of the store calls it first, so a page drawn inside the change's
    transaction shows the change). Returns how many were left to a worker."""
    connection = transaction.get_connection()
    _forget_rolled_back(connection)
    return _flush(connection)


def staff_holding(*, keys: Iterable[str]) -> list[int]:
    """The people whose stored requirements include any of ``keys``."""
    return list(
        RequirementState.objects.filter(key__in=list(keys))
        .values_list("staff_id", flat=True)
        .distinct()
    )


def stale_ids(
    *, as_of: dt.date, among: QuerySet[StaffProfile] | None = None
) -> list[int]:
    """People whose rows are not right for ``as_of``: none yet, computed after it
    (a clock moved back), past their ``fresh_until``, or marked stale by a change
    left to a worker. A few small indexed queries. With ``among``, only those
    people (what a page shows) are looked at."""
    rows = PersonReadiness.objects.filter(
        Q(fresh_until__lt=as_of) | Q(computed_on__gt=as_of) | Q(stale=True)
    )
    if among is not None:
        scope = among.order_by().values("pk")
        ids = set(rows.filter(staff_id__in=scope).values_list("staff_id", flat=True))
        ids.update(
            StaffProfile.objects.filter(pk__in=scope, readiness__isnull=True)
            .order_by()
            .values_list("pk", flat=True)
        )
        return sorted(ids)
    ids = set(rows.values_list("staff_id", flat=True))
    # Every new person gets rows when saved (``receivers.staff_saved``); people
    # added another way (a fixture, raw SQL) are found here. Rows go with their
    # person, so equal counts mean no one lacks them: two index-only counts
    # instead of an anti-join over the agency on every page.
    if StaffProfile.objects.count() != PersonReadiness.objects.count():
        ids.update(
            StaffProfile.objects.filter(readiness__isnull=True)
            .order_by()
            .values_list("pk", flat=True)
        )
    return sorted(ids)


def inline_limit() -> int:
    """How many people a request refreshes itself; more are left to a worker."""
    return settings.READINESS_INLINE_LIMIT


def readiness_refresh_or_defer(*, staff_ids: Iterable[int]) -> int:
    """Refresh ``staff_ids`` now, in the caller's transaction, when they are few
    (the call to make after a write that skips signals); when they are many (a
    requirement for the whole agency), mark their rows stale in that transaction
    and queue one worker's refresh after commit, so the change is saved at once
    whatever the agency's size. Returns how many were left behind."""
    ids = sorted(set(staff_ids))
    if len(ids) <= inline_limit():
        readiness_refresh(staff_ids=ids)
        return 0
    _mark_stale(ids)
    _queue_refresh()
    return len(ids)


# Set while a catch-up is queued and not started: page views and changes that
# find the store behind queue one worker's catch-up, not one each.
CATCH_UP_QUEUED = "milieu:readiness:catch-up-queued"
CATCH_UP_QUEUED_SECONDS = 10 * 60


def _queue_refresh() -> None:
    """Queue the worker's catch-up after commit, unless one is queued already."""
    transaction.on_commit(_publish_catch_up)


def _publish_catch_up() -> None:
    from .tasks import refresh_readiness_by_date

    try:
        first = cache.add(CATCH_UP_QUEUED, "1", timeout=CATCH_UP_QUEUED_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage queues it anyway
        logger.exception("readiness: could not read the catch-up flag")
        first = True
    if first and not publish(refresh_readiness_by_date):
        cache.delete(CATCH_UP_QUEUED)


def catch_up_started() -> None:
    """The queued catch-up has started: a change from now on queues another."""
    try:
        cache.delete(CATCH_UP_QUEUED)
    except Exception:  # noqa: BLE001
        logger.exception("readiness: could not clear the catch-up flag")


def readiness_ensure_fresh(
    *,
    as_of: dt.date,
    limit: int | None = None,
    among: QuerySet[StaffProfile] | None = None,
) -> int:
    """Bring the store up to ``as_of`` before a read (usually nothing to do), for
    the people ``among`` (a page's people; everyone when None).

    With ``limit``, more stale people than that are not refreshed here: a worker's
    refresh is queued instead (once, however many pages ask). Returns how many
    are still behind (0: all fresh).
    """
    readiness_flush()
    ids = stale_ids(as_of=as_of, among=among)
    if not ids:
        return 0
    if limit is not None and len(ids) > limit:
        _queue_refresh()
        return len(ids)
    readiness_refresh(staff_ids=ids, as_of=as_of)
    return 0


def readiness_catch_up(*, as_of: dt.date) -> int:
    """Refresh everyone stale for ``as_of`` (the worker's job): each person is
    looked at again under their lock, so two catch-ups never compute one person
    twice; returns how many were refreshed."""
    readiness_flush()
    ids = stale_ids(as_of=as_of)
    return _refresh_batches(ids=ids, as_of=as_of, only_stale=True) if ids else 0


def readiness_rebuild(
    *, as_of: dt.date | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute everyone's rows from scratch (idempotent)."""
    as_of = as_of or agency_today()
    ids = list(StaffProfile.objects.order_by("pk").values_list("pk", flat=True))
    return readiness_refresh(staff_ids=ids, as_of=as_of, progress=progress)


# What the check compares: a person's verdicts and counts, and each cell.
PERSON_FIELDS = ("on_staff", "ready_for_floor", "fully_compliant", *COUNTED.values())
STATE_FIELDS = (
    "kind",
    "label",
    "status",
    "before_first_shift",
    "due_on",
    "expires_on",
    "detail",
    "url",
)


@dataclass(frozen=True)
class Difference:
    """One place where the store disagrees with the records: ``requirement`` is
    a cell's key ("course:12") or "verdicts" for the person's own row."""

    staff_id: int
    requirement: str
    stored: str
    computed: str

    def __str__(self) -> str:
        return (
            f"person {self.staff_id}, {self.requirement}: "
            f"stored {self.stored}, computed {self.computed}"
        )


def _changed(old: dict | None, fresh: dict | None) -> tuple[str, ...]:
    """The fields of a cell that differ (its main ones when a side is missing)."""
    if old is None or fresh is None:
        return ("status", "due_on", "expires_on")
    return tuple(f for f in STATE_FIELDS if old[f] != fresh[f])


def _shown(values: dict | None, fields: tuple[str, ...]) -> str:
    if values is None:
        return "nothing"
    return ", ".join(f"{f}={values[f]}" for f in fields)


def readiness_differences(
    *, staff_ids: Iterable[int] | None = None, as_of: dt.date | None = None
) -> list[Difference]:
    """Compare the store's rows of ``staff_ids`` (everyone) with a fresh
    computation from the records as of ``as_of`` (today); changes nothing."""
    as_of = as_of or agency_today()
    if staff_ids is None:
        ids = list(StaffProfile.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(staff_ids))
    found: list[Difference] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        persons, states = _rows(staff_ids=batch, as_of=as_of)
        stored_people = {
            p["staff_id"]: p
            for p in PersonReadiness.objects.filter(staff_id__in=batch).values(
                "staff_id", *PERSON_FIELDS
            )
        }
        stored_cells = {
            (s["staff_id"], s["key"]): s
            for s in RequirementState.objects.filter(staff_id__in=batch).values(
                "staff_id", "key", *STATE_FIELDS
            )
        }
        for person in persons:
            fresh = {f: getattr(person, f) for f in PERSON_FIELDS}
            held = stored_people.get(person.staff_id)
            if held is None or any(held[f] != fresh[f] for f in PERSON_FIELDS):
                found.append(
                    Difference(
                        person.staff_id,
                        "verdicts",
                        _shown(held, PERSON_FIELDS),
                        _shown(fresh, PERSON_FIELDS),
                    )
                )
        fresh_cells = {
            (s.staff_id, s.key): {f: getattr(s, f) for f in STATE_FIELDS}
            for s in states
        }
        for staff_id, key in sorted(fresh_cells.keys() | stored_cells.keys()):
            cell = stored_cells.get((staff_id, key))
            computed = fresh_cells.get((staff_id, key))
            changed = _changed(cell, computed)
            if changed:
                found.append(
                    Difference(
                        staff_id, key, _shown(cell, changed), _shown(computed, changed)
                    )
                )
    return found


def readiness_check(
    *,
    staff_ids: Iterable[int] | None = None,
    repair: bool = False,
    as_of: dt.date | None = None,
) -> list[Difference]:
    """The differences between the store and the records (see
    ``readiness_differences``); with ``repair``, the people concerned are
    recomputed. Returns the differences found (before any repair)."""
    as_of = as_of or agency_today()
    readiness_flush()
    found = readiness_differences(staff_ids=staff_ids, as_of=as_of)
    if repair and found:
        with transaction.atomic():
            readiness_refresh(staff_ids={d.staff_id for d in found}, as_of=as_of)
    return found


CHECK_DAYS = 7


def readiness_check_sample(*, today: dt.date | None = None) -> list[Difference]:
    """Check and repair today's seventh of the agency (by person id), so that
    everyone is checked once a week; returns what was repaired."""
    today = today or agency_today()
    return readiness_check(
        staff_ids=readiness_check_sample_ids(today=today), repair=True, as_of=today
    )


def readiness_check_sample_ids(*, today: dt.date) -> list[int]:
    """The people checked on ``today``: those whose id falls on its day of seven."""
    return list(
        StaffProfile.objects.annotate(day=F("pk") % CHECK_DAYS)
        .filter(day=today.toordinal() % CHECK_DAYS)
        .values_list("pk", flat=True)
    )


def readiness_mark_all_stale() -> int:
    """Mark everyone's rows stale (after migrations, which can change the records
    without signals): the next read or the worker recomputes them."""
    return PersonReadiness.objects.filter(stale=False).update(stale=True)
