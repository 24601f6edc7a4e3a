"""The reminder scan and the sends: exactly once per (date, step, recipient).

The scan reads database state, never scheduled messages. With set-based SQL it
claims every due reminder by inserting a ReminderLog row (insert-or-skip on the
unique constraint), then queues thin tasks with the ids after commit. Only the
most urgent step reached is claimed: earlier steps that a skipped scan missed are
never claimed (so never sent). A claimed row that was never marked sent (a worker
killed, a broker down) is queued again by a later scan once it is older than
REMINDER_REQUEUE_AFTER_MINUTES; the send locks the row and re-checks it, so a
second message for the same row is never sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parseaddr
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal import queue
from portal.expressions import DaysUntil
from portal.formats.en.formats import LONG_DATE_FORMAT
from portal.mail import email_message
from portal.models import JobRole, StaffProfile, Team, User
from portal.registry import digest_sections_for
from portal.requirements import DueRule
from portal.roles import Role
from portal.validators import EARLIEST_DATE, one_line

from .models import (
    Credential,
    CredentialGroup,
    CredentialRequirement,
    CredentialType,
    DigestLog,
    ReminderLog,
)
from .services import notification_create

logger = logging.getLogger(__name__)

# Tuning (windows, batch sizes, retries) is read from settings: REMINDER_* in
# portal/settings.py, each overridable from the environment.


@dataclass
class ScanResult:
    today: dt.date
    claimed: int = 0
    queued: int = 0
    tasks: int = 0
    dry_run: bool = False
    rows: list[tuple] = field(default_factory=list)
    # Live credentials whose expiry the scan cannot compute (before 1950 or so far
    # back the weekly step overflows): skipped and logged, never a crash.
    skipped: list[int] = field(default_factory=list)
    # Tasks whose publish to the broker failed (re-queued by the next beat tick).
    publish_failed: int = 0
    # Reminders that failed REMINDER_MAX_SEND_ATTEMPTS times: not retried, reported.
    gave_up: list[int] = field(default_factory=list)


# The weekly step is stored in a smallint: an expiry further back cannot be
# computed, and nothing before EARLIEST_DATE is a real expiry anyway.
_STEP_RANGE_DAYS = 32760


def scan_floor(today: dt.date) -> dt.date:
    """The earliest expiry the scan reminds about."""
    return max(EARLIEST_DATE, today - dt.timedelta(days=_STEP_RANGE_DAYS))


# --- SQL pieces ----------------------------------------------------------------------
#
# The rules come from the queryset methods (``Credential.objects.live()``,
# ``StaffProfile.objects.current()``) and the shared ``DaysUntil`` expression,
# compiled for whichever database runs: one definition serves SQLite and
# PostgreSQL. Only the claim's INSERT ... SELECT and the staff-by-requirement join
# (no relation Django's ORM can follow) are written as SQL here.


def _vendor() -> str:
    return connection.vendor


def _compiled(qs: QuerySet) -> tuple[str, list]:
    """A queryset as (SQL, params) to nest in the statements below."""
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _compile_expression(expression) -> tuple[str, list]:
    """An ORM expression (over raw column references) as (SQL, params)."""
    query = ReminderLog.objects.none().query
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query))


def _add_days_sql(date_col: str, days_sql: str) -> str:
    if _vendor() == "postgresql":
        return f"({date_col} + ({days_sql}))"
    return f"date({date_col}, '+' || ({days_sql}) || ' days')"


def _step_expression(days_left, steps: list[int], weekly: bool) -> Case:
    """status.reminder_step as a database expression over ``days_left``."""
    whens = []
    if weekly:
        weeks_past = ExpressionWrapper(
            (Value(0) - days_left) / Value(7), output_field=IntegerField()
        )
        whens.append(When(LessThanOrEqual(days_left, -7), then=Value(-7) * weeks_past))
    for step in sorted(steps):
        whens.append(When(LessThanOrEqual(days_left, int(step)), then=Value(int(step))))
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _type_groups() -> dict[tuple[tuple[int, ...], bool], list[int]]:
    groups: dict[tuple[tuple[int, ...], bool], list[int]] = defaultdict(list)
    for ctype in CredentialType.objects.filter(has_expiry=True):
        key = (tuple(ctype.reminder_steps), ctype.remind_weekly_when_expired)
        groups[key].append(ctype.pk)
    return groups


def _all_type_groups() -> dict[tuple[tuple[int, ...], bool], list[int]]:
    groups: dict[tuple[tuple[int, ...], bool], list[int]] = defaultdict(list)
    for ctype in CredentialType.objects.all():
        key = (tuple(ctype.reminder_steps), ctype.remind_weekly_when_expired)
        groups[key].append(ctype.pk)
    return groups


def _insert_prefix() -> tuple[str, str]:
    if _vendor() == "sqlite":
        return "INSERT OR IGNORE INTO", ""
    return "INSERT INTO", "ON CONFLICT DO NOTHING"


def _claim(due: tuple[str, list], *, now: dt.datetime) -> tuple[str, list]:
    """The INSERT of the ReminderLog rows of the ``due`` rows for each kind of
    recipient, with its params."""
    due_sql, due_params = due
    log = ReminderLog._meta.db_table
    user = User._meta.db_table
    ts = Team.supervisors.through._meta.db_table
    ug = User.groups.through._meta.db_table
    insert, conflict = _insert_prefix()
    cols = (
        "kind, staff_id, credential_type_id, credential_id, step, expires_on, "
        "recipient_id, recipient_role, claimed_at, attempts, last_error"
    )
    head = (
        "d.kind, d.staff_id, d.credential_type_id, d.credential_id, d.step, "
        "d.expires_on"
    )
    # Whole numbers from settings, inlined like the table names.
    supervisor_from = int(settings.REMINDER_SUPERVISOR_FROM_STEP)
    hr_from = int(settings.REMINDER_HR_FROM_STEP)
    sql = f"""
    {insert} {log} ({cols})
    SELECT {head}, u.id, 'staff', %s, 0, ''
      FROM ({due_sql}) d JOIN {user} u ON u.id = d.staff_user_id
     WHERE d.step IS NOT NULL AND u.is_active
    UNION ALL
    SELECT {head}, u.id, 'supervisor', %s, 0, ''
      FROM ({due_sql}) d
      JOIN {ts} ts ON ts.team_id = d.team_id
      JOIN {user} u ON u.id = ts.user_id
     WHERE d.step IS NOT NULL AND d.step <= {supervisor_from} AND u.is_active
       AND u.id <> d.staff_user_id
    UNION ALL
    SELECT {head}, u.id, 'hr', %s, 0, ''
      FROM ({due_sql}) d
      CROSS JOIN {user} u
     WHERE d.step IS NOT NULL AND d.step <= {hr_from} AND u.is_active
       AND u.id IN (SELECT ug.user_id FROM {ug} ug JOIN auth_group g
                     ON g.id = ug.group_id WHERE g.name = %s)
       AND u.id <> d.staff_user_id
    {conflict}
    """
    params = [now, *due_params, now, *due_params, now, *due_params, Role.HR.value]
    return sql, params


def _expiry_due(
    steps: list[int], weekly: bool, type_ids: list[int], today: dt.date
) -> tuple[str, list]:
    """Live credentials of current staff expiring by the type's first step (or
    since the scan's floor), with the most urgent step reached today."""
    horizon = today + dt.timedelta(days=max(steps))
    days_left = DaysUntil(F("expires_on"), today)
    qs = (
        Credential.objects.live()
        .filter(
            staff__in=StaffProfile.objects.current(),
            credential_type_id__in=type_ids,
            expires_on__isnull=False,
            expires_on__lte=horizon,
            expires_on__gte=scan_floor(today),
        )
        .order_by()
        .values(
            "staff_id",
            "credential_type_id",
            "expires_on",
            kind=Value(ReminderLog.Kind.EXPIRY, output_field=CharField()),
            credential_id=F("pk"),
            staff_user_id=F("staff__user_id"),
            team_id=F("staff__team_id"),
            step=_step_expression(days_left, steps, weekly),
        )
    )
    return _compiled(qs)


def _missing_due(
    steps: list[int], weekly: bool, type_ids: list[int], today: dt.date
) -> tuple[str, list]:
    """Requirements with nothing live on file, by job role, program and site. A
    group is missing when no member is on file; its reminders are logged under
    its first member type (the lowest id), which keeps "exactly once" on the
    same unique constraint. Goals have no due date: no missing reminders."""
    staff = StaffProfile._meta.db_table
    team = Team._meta.db_table
    role = JobRole._meta.db_table
    req = CredentialRequirement._meta.db_table
    members = CredentialGroup.members.through._meta.db_table
    ids = ", ".join(str(int(i)) for i in type_ids)
    current_sql, current_params = _compiled(
        StaffProfile.objects.current().order_by().values("pk")
    )
    live_sql, live_params = _compiled(
        Credential.objects.live().order_by().values("staff_id", "credential_type_id")
    )
    step_sql, step_params = _compile_expression(
        _step_expression(
            DaysUntil(RawSQL("m.expires_on", [], DateField()), today), steps, weekly
        )
    )
    # The SQL twin of portal.requirements.requirement_due_on.
    due = _add_days_sql(
        "s.hire_date",
        f"CASE WHEN r.due_rule = '{DueRule.BEFORE_FIRST_SHIFT.value}' THEN 0 "
        "ELSE COALESCE(r.due_within_days, jr.orientation_days) END",
    )
    req_type = (
        "COALESCE(r.credential_type_id, (SELECT MIN(gm.credentialtype_id) "
        f"FROM {members} gm WHERE gm.credentialgroup_id = r.group_id))"
    )
    sql = f"""
    SELECT m.kind, m.staff_id, m.credential_type_id, m.credential_id, m.expires_on,
           m.staff_user_id, m.team_id, {step_sql} AS step
      FROM (
        SELECT DISTINCT '{ReminderLog.Kind.MISSING.value}' AS kind, s.id AS staff_id,
               {req_type} AS credential_type_id,
               CAST(NULL AS bigint) AS credential_id, {due} AS expires_on,
               s.user_id AS staff_user_id, s.team_id
          FROM {staff} s
          JOIN {role} jr ON jr.id = s.job_role_id
          LEFT JOIN {team} t ON t.id = s.team_id
          JOIN {req} r
            ON (r.job_role_id IS NULL OR r.job_role_id = s.job_role_id)
           AND (r.program_id IS NULL OR r.program_id = t.program_id)
           AND (r.site_id IS NULL OR r.site_id = t.site_id)
         WHERE s.id IN ({current_sql}) AND r.active
           AND r.due_rule <> '{DueRule.GOAL.value}'
           AND {req_type} IN ({ids})
           AND NOT EXISTS (
             SELECT 1 FROM ({live_sql}) c
              WHERE c.staff_id = s.id
                AND (c.credential_type_id = r.credential_type_id
                     OR c.credential_type_id IN (
                       SELECT gm.credentialtype_id FROM {members} gm
                        WHERE gm.credentialgroup_id = r.group_id)))
      ) m
     WHERE m.expires_on <= %s AND m.expires_on >= %s
    """
    horizon = today + dt.timedelta(days=max(steps))
    oldest = today - dt.timedelta(days=settings.REMINDER_MISSING_LOOKBACK_DAYS)
    params = [
        *step_params,
        *current_params,
        *live_params,
        _date_param(horizon),
        _date_param(oldest),
    ]
    return sql, params


def _date_param(day: dt.date):
    """A date as the database driver takes it in a raw statement."""
    return connection.ops.adapt_datefield_value(day)


# --- The scan ------------------------------------------------------------------------


def _skipped_credentials(today: dt.date) -> list[int]:
    """Live credentials whose expiry is before the scan's floor (typos like 1900)."""
    return list(
        Credential.objects.live()
        .filter(
            expires_on__lt=scan_floor(today),
            credential_type__has_expiry=True,
        )
        .values_list("pk", flat=True)[:1000]
    )


def reminders_unsent(
    *,
    now: dt.datetime,
    claimed_since: dt.datetime | None = None,
    older_than_minutes: int | None = None,
):
    """Ids of claimed reminders to (re-)queue: not sent, cancelled, given up or
    being sent right now; claimed at or after ``claimed_since`` (this scan) or
    longer ago than ``older_than_minutes`` (default REMINDER_REQUEUE_AFTER_MINUTES).
    """
    requeue = settings.REMINDER_REQUEUE_AFTER_MINUTES
    in_flight = now - dt.timedelta(minutes=requeue)
    minutes = requeue if older_than_minutes is None else older_than_minutes
    claimed = Q(claimed_at__lt=now - dt.timedelta(minutes=minutes))
    if claimed_since is not None:
        claimed |= Q(claimed_at__gte=claimed_since)
    return (
        ReminderLog.objects.filter(
            claimed,
            Q(sending_at__isnull=True) | Q(sending_at__lt=in_flight),
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            attempts__lt=settings.REMINDER_MAX_SEND_ATTEMPTS,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reminders_queue(*, ids, result: ScanResult | None = None) -> int:
    """Queue the sends of ``ids`` in batches after commit; returns the task count.

    A recipient's rows stay in one batch (one email each), so a batch may pass
    REMINDER_TASK_BATCH rows by the rows of its last recipient.
    """
    from .tasks import send_reminders

    batch_size = settings.REMINDER_TASK_BATCH
    if not hasattr(ids, "values_list"):
        ids = ReminderLog.objects.filter(pk__in=list(ids))
    rows = ids.order_by("recipient_id", "pk").values_list("pk", "recipient_id")
    batch: list[int] = []
    tasks = 0
    last_recipient = None
    for pk, recipient_id in rows.iterator(chunk_size=5000):
        if len(batch) >= batch_size and recipient_id != last_recipient:
            queue.enqueue(send_reminders, batch)
            tasks += 1
            batch = []
        batch.append(pk)
        last_recipient = recipient_id
        if result is not None:
            result.queued += 1
    if batch:
        queue.enqueue(send_reminders, batch)
        tasks += 1
    return tasks


def reminder_scan(*, today: dt.date, dry_run: bool = False) -> ScanResult:
    """Claim every reminder due on ``today`` and queue its send after commit.

    A record the scan cannot compute is skipped and logged; a failed publish is
    counted in ``publish_failed`` (the next beat tick queues the row again).
    """
    result = ScanResult(today=today, dry_run=dry_run)
    now = timezone.now()
    result.skipped = _skipped_credentials(today)
    if result.skipped:
        logger.warning(
            "Reminder scan for %s skips %s credentials with an expiry before %s "
            "(ids %s): correct their dates",
            today,
            len(result.skipped),
            scan_floor(today),
            result.skipped[:20],
        )
    with queue.watch() as failed, transaction.atomic():
        with connection.cursor() as cursor:
            for (steps, weekly), type_ids in _type_groups().items():
                due = _expiry_due(list(steps), weekly, type_ids, today)
                cursor.execute(*_claim(due, now=now))
                result.claimed += max(cursor.rowcount, 0)
            for (steps, weekly), type_ids in _all_type_groups().items():
                due = _missing_due(list(steps), weekly, type_ids, today)
                cursor.execute(*_claim(due, now=now))
                result.claimed += max(cursor.rowcount, 0)
        if dry_run:
            result.rows = list(
                ReminderLog.objects.filter(claimed_at__gte=now)
                .order_by("expires_on", "staff_id", "pk")
                .values_list(
                    "kind",
                    "staff__user__email",
                    "credential_type__name",
                    "expires_on",
                    "step",
                    "recipient__email",
                    "recipient_role",
                )
            )
            result.queued = len(result.rows)
            transaction.set_rollback(True)
            return result
        result.tasks = reminders_queue(
            ids=reminders_unsent(now=now, claimed_since=now), result=result
        )
    result.publish_failed = len(failed)
    result.gave_up = list(
        ReminderLog.objects.filter(
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            attempts__gte=settings.REMINDER_MAX_SEND_ATTEMPTS,
            claimed_at__gte=now - dt.timedelta(days=7),
        ).values_list("pk", flat=True)[:1000]
    )
    logger.info(
        "Reminder scan for %s: %s claimed, %s queued in %s tasks, %s publishes "
        "failed, %s skipped, %s given up",
        today,
        result.claimed,
        result.queued,
        result.tasks,
        result.publish_failed,
        len(result.skipped),
        len(result.gave_up),
    )
    return result


def reminders_requeue(*, older_than_minutes: int = 10) -> int:
    """Queue again every claimed reminder still unsent after ``older_than_minutes``
    (the beat tick and the worker's start-up: a failed publish waits minutes, not
    a day). A row queued twice is sent once: the send re-checks it."""
    with transaction.atomic():
        result = ScanResult(today=timezone.now().date())
        ids = reminders_unsent(
            now=timezone.now(), older_than_minutes=older_than_minutes
        )
        reminders_queue(ids=ids, result=result)
    return result.queued


# --- The send ------------------------------------------------------------------------


def _no_longer_due(row: ReminderLog) -> str:
    """Why a claimed reminder should not go out any more ("" if it should)."""
    if not row.recipient.is_active or not row.recipient.email:
        return "recipient inactive"
    if not row.staff.is_current:
        return "staff member left"
    more_urgent = ReminderLog.objects.filter(
        kind=row.kind,
        staff_id=row.staff_id,
        credential_type_id=row.credential_type_id,
        expires_on=row.expires_on,
        recipient_id=row.recipient_id,
        step__lt=row.step,
    ).exists()
    if more_urgent:
        return "a more urgent step was claimed"
    if row.kind == ReminderLog.Kind.EXPIRY:
        cred = row.credential
        if cred is None or not cred.is_live:
            return "renewed or rejected"
        if cred.expires_on != row.expires_on:
            return "expiry date changed"
    else:
        # A group's reminder is logged under one member: any member counts.
        type_ids = {row.credential_type_id} | set(
            CredentialGroup.members.through.objects.filter(
                credentialgroup__members=row.credential_type_id
            ).values_list("credentialtype_id", flat=True)
        )
        on_file = (
            Credential.objects.live()
            .filter(staff_id=row.staff_id, credential_type_id__in=type_ids)
            .exists()
        )
        if on_file:
            return "now on file"
    return ""


def _step_phrase(kind: str, on: dt.date, today: dt.date) -> str:
    day = date_format(on, LONG_DATE_FORMAT)
    if kind == ReminderLog.Kind.MISSING:
        if on > today:
            return f"is due by {day}"
        return f"is due today, {day}" if on == today else f"was due on {day}"
    if on > today:
        return f"expires on {day}"
    return f"expires today, {day}" if on == today else f"expired on {day}"


def _group_logged_under(ctype: CredentialType) -> CredentialGroup | None:
    """The required group whose missing reminders are logged under ``ctype`` (its
    lowest-id member), unless ``ctype`` is itself required somewhere."""
    if CredentialRequirement.objects.filter(
        credential_type=ctype, active=True
    ).exists():
        return None
    for group in CredentialGroup.objects.filter(
        members=ctype, requirements__active=True
    ).distinct():
        if min(group.members.values_list("pk", flat=True)) == ctype.pk:
            return group
    return None


@dataclass
class ReminderItem:
    """One reminder row as a line of an email."""

    row: ReminderLog
    own: bool
    missing: bool
    phrase: str
    # Where the recipient acts: add or renew (their own), or the person's page.
    action_url: str
    action_label: str
    # What is required: the credential type's name, or an "any one of" group's.
    name: str = ""
    members: str = ""

    @property
    def staff(self) -> StaffProfile:
        return self.row.staff

    @property
    def ctype(self) -> CredentialType:
        return self.row.credential_type


def reminder_item(row: ReminderLog, today: dt.date) -> ReminderItem:
    """The line of one reminder: a credential never filed is asked to be added,
    one on file to be renewed."""
    ctype = row.credential_type
    own = row.recipient_id == row.staff.user_id
    missing = row.kind == ReminderLog.Kind.MISSING
    group = _group_logged_under(ctype) if missing else None
    name, members = ctype.name, ""
    if group is not None:
        name = group.name
        members = ", ".join(t.name for t in group.members.order_by("name"))
    if own and missing:
        url = reverse("credential_add")
        if group is None:
            url += f"?type={ctype.pk}"
        label = f"Add your {name}"
    elif own and row.credential_id:
        url = reverse("credential_renew", args=[row.credential_id])
        label = "Upload the renewal"
    else:
        url = reverse("staff_detail", args=[row.staff.pk])
        label = "See their credentials"
    return ReminderItem(
        row=row,
        own=own,
        missing=missing,
        phrase=_step_phrase(row.kind, row.expires_on, today),
        action_url=settings.SITE_URL + url,
        action_label=label,
        name=name,
        members=members,
    )


def _subject(items: list[ReminderItem]) -> str:
    # Names are typed by people: one line, whatever they contain.
    if len(items) == 1:
        item = items[0]
        if item.own:
            return one_line(f"[Milieu] Your {item.name} {item.phrase}")
        return one_line(f"[Milieu] {item.staff.full_name}'s {item.name} {item.phrase}")
    n = len(items)
    if all(i.own for i in items):
        return f"[Milieu] {n} of your credentials need attention"
    people = len({i.staff.pk for i in items if not i.own})
    if people == 1 and not any(i.own for i in items):
        return one_line(
            f"[Milieu] {n} credentials of {items[0].staff.full_name} need attention"
        )
    return f"[Milieu] {n} credentials need attention"


def reminders_email(
    rows: list[ReminderLog], *, today: dt.date | None = None
) -> tuple[EmailMultiAlternatives, str]:
    """(the email, the link of its notification) listing ``rows``, all for one
    recipient; its Message-ID is the same for the same rows."""
    from portal.dates import agency_today

    today = today or agency_today()
    items = sorted(
        (reminder_item(row, today) for row in rows),
        key=lambda i: (not i.own, i.row.expires_on, i.staff.full_name, i.name),
    )
    subject = _subject(items)
    own = [i for i in items if i.own]
    others = [i for i in items if not i.own]
    recipient = rows[0].recipient
    if len(items) == 1:
        link = items[0].action_url
    elif not others:
        link = settings.SITE_URL + reverse("my_credentials")
    elif len({i.staff.pk for i in others}) == 1 and not own:
        link = others[0].action_url
    else:
        link = settings.SITE_URL + reverse("home")
    message = email_message(
        template="credentials/email/reminder",
        subject=subject,
        context={
            "recipient": recipient,
            "own": own,
            "others": others,
            "hr": any(i.row.recipient_role == "hr" for i in others),
            "steps": sorted({i.ctype.reminder_days for i in items}),
        },
        to=[recipient.email],
        headers={"Message-ID": reminders_message_id(rows)},
    )
    return message, link


def reminder_message(row: ReminderLog) -> tuple[str, str, str, str]:
    """(subject, text, html, link) of one reminder."""
    message, link = reminders_email([row])
    html = message.alternatives[0][0]
    return str(message.subject), str(message.body), str(html), link


def message_domain() -> str:
    """The domain of Message-IDs: the sender's (stable across hosts and workers)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "milieu.local"


def reminder_message_id(row: ReminderLog) -> str:
    """The same Message-ID for every attempt of one reminder row, so a resend after
    a crash is recognizable as the same message (MTAs and mail clients drop it)."""
    return f"<reminder.{row.pk}.{row.kind}.{row.step}@{message_domain()}>"


def reminders_message_id(rows: list[ReminderLog]) -> str:
    """The Message-ID of an email listing ``rows``: the same for the same rows."""
    if len(rows) == 1:
        return reminder_message_id(rows[0])
    pks = ",".join(str(pk) for pk in sorted(r.pk for r in rows))
    digest = hashlib.sha256(pks.encode()).hexdigest()[:24]
    return f"<reminders.{rows[0].recipient_id}.{digest}@{message_domain()}>"


def _record_error(reminder_ids: list[int], exc: BaseException, **extra) -> None:
    ReminderLog.objects.filter(pk__in=reminder_ids).update(
        last_error=one_line(f"{type(exc).__name__}: {exc}", limit=500), **extra
    )


def _not_yet_joined(user: User) -> bool:
    """Invited by HR, but has not chosen a password yet."""
    return not user.has_usable_password() and user.invitations.exists()


def _invite_again(user: User) -> bool:
    """A fresh invitation link instead of reminders, at most every
    REMINDER_REINVITE_AFTER_DAYS; True when one is queued."""
    from portal.models import Invitation
    from portal.services import invitation_create

    days = settings.REMINDER_REINVITE_AFTER_DAYS
    recent = Invitation.objects.filter(
        user=user, created_at__gt=timezone.now() - dt.timedelta(days=days)
    ).exists()
    if recent:
        return False
    invitation_create(user=user, created_by=None)
    return True


def reminders_send(*, reminder_ids: list[int]) -> int:
    """Send one email to the recipient of ``reminder_ids`` listing their claimed
    reminders that are still due (those ids, and any other row of theirs that is
    claimed and unsent); returns how many rows it covered.

    The rows are marked "sending" in their own committed transaction before the
    message goes to the mail server, then "sent" after: a second delivery of the
    task skips them, and only a crash between the server's acceptance and the
    "sent" commit can repeat the message, with the same Message-ID. A recipient
    who has not accepted their invitation gets a fresh invitation instead.
    """
    delay = float(settings.REMINDER_SEND_DELAY_SECONDS or 0)
    now = timezone.now()
    in_flight = now - dt.timedelta(minutes=settings.REMINDER_REQUEUE_AFTER_MINUTES)
    unsent = ReminderLog.objects.filter(
        Q(sending_at__isnull=True) | Q(sending_at__lt=in_flight),
        sent_at__isnull=True,
        cancelled_at__isnull=True,
    )
    live_ids: list[int] = list(reminder_ids)
    try:
        with transaction.atomic():
            # One recipient per email, whatever the caller passed.
            recipient_id = (
                unsent.filter(pk__in=reminder_ids)
                .order_by("pk")
                .values_list("recipient_id", flat=True)
                .first()
            )
            if recipient_id is None:
                return 0
            # One send per recipient at a time: a second delivery of the task, or
            # one holding only part of the recipient's rows, waits here and then
            # finds them sent or in flight. The email lists every claimed row of
            # the recipient, so two such tasks never split it in two.
            list(User.objects.select_for_update().filter(pk=recipient_id).values("pk"))
            rows = list(
                unsent.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "recipient", "staff__user", "credential_type", "credential"
                )
                .filter(
                    Q(pk__in=reminder_ids)
                    | Q(
                        claimed_at__isnull=False,
                        attempts__lt=settings.REMINDER_MAX_SEND_ATTEMPTS,
                    ),
                    recipient_id=recipient_id,
                )
                .order_by("pk")
            )
            live: list[ReminderLog] = []
            for row in rows:
                reason = _no_longer_due(row)
                if reason:
                    row.cancelled_at = now
                    row.save(update_fields=["cancelled_at"])
                    logger.info("Reminder %s not sent: %s", row.pk, reason)
                else:
                    live.append(row)
            if not live:
                return 0
            recipient = live[0].recipient
            if _not_yet_joined(recipient):
                ReminderLog.objects.filter(pk__in=[r.pk for r in live]).update(
                    cancelled_at=now, last_error="invitation not accepted yet"
                )
                invited = _invite_again(recipient)
                logger.info(
                    "Reminders %s not sent: %s has not accepted the invitation%s",
                    [r.pk for r in live],
                    recipient.pk,
                    " (invited again)" if invited else "",
                )
                return 0
            live_ids = [r.pk for r in live]
            message, link = reminders_email(live)
            message.message()  # a header that cannot be built fails here, unsent
            ReminderLog.objects.filter(pk__in=live_ids).update(
                sending_at=now, attempts=F("attempts") + 1
            )
    except Exception as exc:
        _record_error(live_ids, exc, attempts=F("attempts") + 1)
        raise
    if delay:
        time.sleep(delay)
    try:
        message.send()
    except Exception as exc:
        # Not accepted by the server: the next attempt may send it.
        _record_error(live_ids, exc, sending_at=None)
        raise
    with transaction.atomic():
        ReminderLog.objects.filter(pk__in=live_ids).update(
            sent_at=timezone.now(), last_error=""
        )
        notification_create(
            user=recipient, text=message.subject.removeprefix("[Milieu] "), url=link
        )
    return len(live_ids)


def reminder_send(*, reminder_id: int) -> bool:
    """Send one claimed reminder unless it was sent, is being sent, or is moot."""
    return reminders_send(reminder_ids=[reminder_id]) > 0


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    SMTPException,
    ConnectionError,
    TimeoutError,
)


@dataclass
class BatchResult:
    sent: int = 0
    emails: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    transient: list[int] = field(default_factory=list)


def reminders_send_batch(*, reminder_ids: list[int]) -> BatchResult:
    """Send one email per recipient of a batch, each on its own: a recipient whose
    email fails keeps their rows (retried by the task or a later scan); the
    others go out. ``sent`` counts rows, ``emails`` emails."""
    result = BatchResult()
    by_recipient: dict[int, list[int]] = defaultdict(list)
    for pk, recipient_id in (
        ReminderLog.objects.filter(pk__in=reminder_ids)
        .order_by("recipient_id", "pk")
        .values_list("pk", "recipient_id")
    ):
        by_recipient[recipient_id].append(pk)
    for pks in by_recipient.values():
        try:
            sent = reminders_send(reminder_ids=pks)
        except Exception as exc:  # noqa: BLE001 - one email must not stop the batch
            logger.exception("Reminders %s could not be sent", pks)
            for pk in pks:
                result.failed[pk] = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, TRANSIENT_ERRORS):
                result.transient.extend(pks)
            continue
        result.sent += sent
        result.emails += 1 if sent else 0
    return result


# --- The weekly digest ---------------------------------------------------------------


def digest_scan(*, today: dt.date) -> int:
    """Claim this week's digest for every supervisor and HR person; queue sends."""
    from .tasks import send_digest

    week_of = today - dt.timedelta(days=today.weekday())
    now = timezone.now()
    with transaction.atomic():
        supervisors = User.objects.filter(
            is_active=True, supervised_teams__isnull=False
        ).distinct()
        hr = User.objects.filter(is_active=True, groups__name=Role.HR.value).distinct()
        rows = [
            DigestLog(recipient=u, recipient_role="supervisor", week_of=week_of)
            for u in supervisors
        ] + [DigestLog(recipient=u, recipient_role="hr", week_of=week_of) for u in hr]
        DigestLog.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        stale = now - dt.timedelta(minutes=settings.REMINDER_REQUEUE_AFTER_MINUTES)
        ids = list(
            DigestLog.objects.filter(week_of=week_of, sent_at__isnull=True)
            .exclude(claimed_at__lt=stale, claimed_at__gte=now)
            .values_list("pk", flat=True)
        )
        for pk in ids:
            queue.enqueue(send_digest, pk)
    return len(ids)


def digest_people(*, recipient: User, role: str) -> QuerySet[StaffProfile]:
    """Whom a digest is about: the agency for HR, a supervisor's teams."""
    staff_qs = StaffProfile.objects.current()
    if role == "supervisor":
        staff_qs = staff_qs.filter(team__supervisors=recipient)
    return staff_qs


def digest_items(*, recipient: User, role: str, today: dt.date):
    """(expired, expiring in 30 days) live credentials the digest lists."""
    from .selectors import credentials_expiring

    staff_qs = digest_people(recipient=recipient, role=role)
    rows = list(
        credentials_expiring(
            within_days=30, staff_qs=staff_qs, today=today, include_expired=True
        )
    )
    expired = [c for c in rows if c.expires_on and c.expires_on < today]
    expiring = [c for c in rows if c.expires_on and c.expires_on >= today]
    return expired, expiring


def digests_requeue(*, older_than_minutes: int = 10) -> int:
    """Queue again the digests of the last week still unsent (a broker that was down
    at the scan); returns how many. A digest queued twice is sent once."""
    from .tasks import send_digest

    now = timezone.now()
    ids = list(
        DigestLog.objects.filter(
            sent_at__isnull=True,
            claimed_at__lt=now - dt.timedelta(minutes=older_than_minutes),
            claimed_at__gte=now - dt.timedelta(days=7),
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in ids:
            queue.enqueue(send_digest, pk)
    return len(ids)


def digest_send(*, digest_id: int, today: dt.date | None = None) -> bool:
    """Put one weekly digest in the outbox once and mark it sent (nothing to list:
    marked sent, no email)."""
    from portal.dates import agency_today
    from portal.outbox import outbox_add

    today = today or agency_today()
    with transaction.atomic():
        digest = (
            DigestLog.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=digest_id, sent_at__isnull=True)
            .first()
        )
        if digest is None:
            return False
        expired, expiring = digest_items(
            recipient=digest.recipient, role=digest.recipient_role, today=today
        )
        sections = digest_sections_for(
            staff_qs=digest_people(
                recipient=digest.recipient, role=digest.recipient_role
            ),
            today=today,
        )
        digest.item_count = (
            len(expired) + len(expiring) + sum(len(s.lines) for s in sections)
        )
        if digest.item_count and digest.recipient.email:
            context = {
                "recipient": digest.recipient,
                "expired": expired,
                "expiring": expiring,
                "sections": sections,
                "today": today,
                "site_url": settings.SITE_URL,
                "role": digest.recipient_role,
            }
            subject = (
                f"[Milieu] This week: {len(expired)} expired, "
                f"{len(expiring)} expiring in 30 days"
                + "".join(f", {len(s.lines)} {s.title.lower()}" for s in sections)
            )
            message = email_message(
                template="credentials/email/digest",
                subject=subject,
                context=context,
                to=[digest.recipient.email],
            )
            outbox_add(
                kind="digest",
                key=f"digest.{digest.pk}",
                message=message,
                recipient=digest.recipient,
            )
        digest.sent_at = timezone.now()
        digest.save(update_fields=["sent_at", "item_count"])
    return bool(digest.item_count)
