"""Bulk staff import from the HR system's CSV: a dry run that says, row by row,
what would be created, changed or rejected, then the same plan applied."""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import io
import zlib
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils.formats import date_format

from portal.bulk import JobKind, Row, RowRefused, bulk_job_create
from portal.models import BulkJob, JobRole, StaffProfile, Team, User
from portal.services import staff_create, staff_update, user_email_change_request
from portal.validators import has_control_characters, validate_plausible_date

REQUIRED_COLUMNS = ["employee_id", "email", "job_role", "team", "hire_date"]
ALIASES = {
    "employee id": "employee_id",
    "employee_number": "employee_id",
    "first name": "first_name",
    "last name": "last_name",
    "job role": "job_role",
    "hire date": "hire_date",
    "termination date": "termination_date",
    "e-mail": "email",
}
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"]
SAMPLE_HEADER = [
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "job_role",
    "team",
    "hire_date",
]
MAX_ROWS = 5000


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowPlan:
    number: int  # the line in the file (header is line 1)
    action: str  # "create" | "change" | "unchanged" | "reject"
    employee_id: str = ""
    name: str = ""
    email: str = ""
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    # A new login email for an existing person: (old, new). Applied only when HR
    # checks it on the confirm page, and then as an email change the person
    # confirms (portal.services.user_email_change_request), never as an edit.
    email_change: tuple[str, str] | None = None

    @property
    def email_change_text(self) -> str:
        old, new = self.email_change or ("", "")
        return f"Email change: {old} → {new}"


def _header(name: str) -> str:
    key = name.strip().lower().replace("\ufeff", "")
    return ALIASES.get(key, key.replace(" ", "_"))


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _split_name(row: dict) -> tuple[str, str]:
    first = (row.get("first_name") or "").strip()
    last = (row.get("last_name") or "").strip()
    if first or last:
        return first, last
    full = (row.get("name") or "").strip()
    if "," in full:  # "Last, First"
        last, first = (p.strip() for p in full.split(",", 1))
        return first, last
    if " " in full:
        first, last = full.rsplit(" ", 1)
        return first.strip(), last.strip()
    return full, ""


def _model_problems(
    *, current: StaffProfile | None, employee_id: str, values: dict
) -> list[str]:
    """What the models would refuse on Confirm (the same field validators and
    ``clean()``), as one message per field, so a row the dry run accepts is
    applied."""
    if current is None:
        user = User(
            email=values["email"],
            first_name=values["first_name"],
            last_name=values["last_name"],
        )
        staff = StaffProfile(employee_id=employee_id)
    else:
        user = copy.copy(current.user)
        staff = copy.copy(current)
        for name in ("email", "first_name", "last_name"):
            setattr(user, name, values[name])
    for name in ("job_role", "team", "hire_date", "termination_date"):
        if name in values:
            setattr(staff, name, values[name])
    problems: list[str] = []
    for obj, exclude in ((user, ["password"]), (staff, ["user", "job_role", "team"])):
        try:
            obj.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                try:
                    label = str(getattr(obj._meta.get_field(name), "verbose_name", ""))
                except Exception:  # noqa: BLE001 - a non-field error has no label
                    label = ""
                for message in messages:
                    problems.append(
                        f"{label[:1].upper()}{label[1:]}: {message}"
                        if label
                        else message
                    )
    return problems


def import_plan(*, text: str) -> list[RowPlan]:
    """Validate the CSV and say what would happen to each row; writes nothing."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportFileError("The file is empty.")
    reader.fieldnames = [_header(h) for h in reader.fieldnames]
    missing = [c for c in REQUIRED_COLUMNS if c not in reader.fieldnames]
    if "name" not in reader.fieldnames and "first_name" not in reader.fieldnames:
        missing.append("name (or first_name and last_name)")
    if missing:
        raise ImportFileError(
            "The file lacks these columns: " + ", ".join(missing) + ". Expected: "
            "employee_id, name, email, job_role, team, hire_date."
        )
    rows = list(reader)
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS} rows per file; split the file.")

    roles: dict[str, JobRole] = {}
    for known_role in JobRole.objects.all():
        roles[known_role.code.lower()] = known_role
        roles[known_role.name.lower()] = known_role
    teams: dict[str, list[Team]] = {}
    for known_team in Team.objects.select_related("site"):
        teams.setdefault(known_team.name.lower(), []).append(known_team)
        teams.setdefault(
            f"{known_team.site.name} / {known_team.name}".lower(), [known_team]
        )
    existing = {
        s.employee_id: s
        for s in StaffProfile.objects.select_related("user", "job_role", "team").filter(
            employee_id__in=[(r.get("employee_id") or "").strip() for r in rows]
        )
    }
    row_emails = [(r.get("email") or "").strip().lower() for r in rows]
    # An address someone is changing to counts as theirs already.
    emails_in_db = dict(
        EmailAddress.objects.filter(email__in=row_emails).values_list(
            "email", "user_id"
        )
    )
    emails_in_db.update(
        User.objects.filter(email__in=row_emails).values_list("email", "pk")
    )

    plans: list[RowPlan] = []
    seen_emails: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        first, last = _split_name(row)
        plan = RowPlan(
            number=number,
            action="reject",
            employee_id=row.get("employee_id", ""),
            name=f"{first} {last}".strip(),
            email=row.get("email", "").lower(),
        )
        errors = plan.errors
        if not plan.employee_id:
            errors.append("The Employee ID is empty.")
        elif plan.employee_id in seen_ids:
            errors.append(
                f"Employee ID {plan.employee_id} is also on line "
                f"{seen_ids[plan.employee_id]}."
            )
        if not first:
            errors.append("The name is empty.")
        for label, value in (
            ("name", f"{first} {last}"),
            ("email", plan.email),
            ("Employee ID", plan.employee_id),
        ):
            if has_control_characters(value):
                errors.append(
                    f"The {label} contains a line break or another invisible "
                    "character; correct it in the file."
                )
        try:
            validate_email(plan.email)
        except ValidationError:
            errors.append(f"“{row.get('email', '')}” is not an email address.")
        if plan.email in seen_emails:
            errors.append(
                f"Duplicate email: {plan.email} is also on line "
                f"{seen_emails[plan.email]}."
            )
        role = roles.get(row.get("job_role", "").lower())
        if role is None:
            errors.append(f"Unknown job role “{row.get('job_role', '')}”.")
        team = None
        if row.get("team"):
            found = teams.get(row["team"].lower(), [])
            if len(found) == 1:
                team = found[0]
            elif len(found) > 1:
                errors.append(
                    f"Team “{row['team']}” exists at several sites; write "
                    "“Site / Team”."
                )
            else:
                errors.append(f"Unknown team “{row['team']}”.")
        hire_date = _parse_date(row.get("hire_date", ""))
        if hire_date is None:
            errors.append(
                f"“{row.get('hire_date', '')}” is not a date; use YYYY-MM-DD."
            )
        else:
            try:
                validate_plausible_date(hire_date)
            except ValidationError as exc:
                errors.append(f"Hire date: {exc.messages[0]}")
        # Optional: a termination date closes the account from that day on
        # (portal.services.staff_terminate); an empty cell changes nothing.
        termination_date = None
        if row.get("termination_date"):
            termination_date = _parse_date(row["termination_date"])
            if termination_date is None:
                errors.append(
                    f"“{row['termination_date']}” is not a termination date; use "
                    "YYYY-MM-DD."
                )
            elif hire_date and termination_date < hire_date:
                errors.append("The termination date is before the hire date.")
        current = existing.get(plan.employee_id)
        owner = emails_in_db.get(plan.email)
        if owner is not None and (current is None or current.user_id != owner):
            errors.append(f"Duplicate email: {plan.email} belongs to someone else.")
        if plan.employee_id:
            seen_ids.setdefault(plan.employee_id, number)
        if plan.email:
            seen_emails.setdefault(plan.email, number)
        if errors:
            plans.append(plan)
            continue
        plan.values = {
            "first_name": first,
            "last_name": last,
            "email": plan.email,
            "job_role": role,
            "team": team,
            "hire_date": hire_date,
        }
        if termination_date:
            plan.values["termination_date"] = termination_date
        plan.errors.extend(
            _model_problems(
                current=current, employee_id=plan.employee_id, values=plan.values
            )
        )
        if plan.errors:
            plan.values = {}
            plans.append(plan)
            continue
        if current is None:
            plan.action = "create"
        else:
            before = {
                "first_name": current.user.first_name,
                "last_name": current.user.last_name,
                "email": current.user.email,
                "job_role": current.job_role,
                "team": current.team,
                "hire_date": current.hire_date,
                "termination_date": current.termination_date,
            }
            if before["email"] != plan.email:
                plan.email_change = (before["email"], plan.email)
            for key, value in plan.values.items():
                if key != "email" and before[key] != value:
                    label = key.replace("_", " ")
                    plan.changes.append(
                        f"{label}: {before[key] or '—'} → {value or '—'}"
                    )
            changed = plan.changes or plan.email_change
            plan.action = "change" if changed else "unchanged"
            if current.status == StaffProfile.Status.TERMINATED:
                ended = current.termination_date
                when = f" on {date_format(ended)}" if ended else ""
                plan.warnings.append(
                    f"Terminated{when}; the import does not re-activate people."
                )
        plans.append(plan)
    return plans


IMPORT_LOCK = zlib.crc32(b"milieu:staff-import")


def _lock_imports() -> None:
    """Imports run one at a time: a second Confirm of the same file waits for the
    first, then finds its rows unchanged (instead of a duplicate email error)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


@contextlib.contextmanager
def imports_one_at_a_time() -> Iterator[None]:
    """The same lock as ``_lock_imports``, held over a whole background import
    (its batches commit one by one): a second import plans only once the first
    has finished, and finds its rows unchanged."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])


@transaction.atomic
def import_apply(
    *, text: str, by: User, email_changes: Collection[str] = ()
) -> dict[str, int]:
    """Validate again and apply the plan: create (and invite) or update people.

    A new email for an existing person is asked for (the person confirms it)
    only when their employee id is in ``email_changes`` (HR checked it); the
    rest of the row is applied either way. Rejected rows are skipped; applying
    the same file twice changes nothing; a row refused while
    applying is counted as rejected and never stops the others.
    """
    _lock_imports()
    counts = {"create": 0, "change": 0, "unchanged": 0, "reject": 0}
    counts["email_change"] = 0
    for plan in import_plan(text=text):
        try:
            with transaction.atomic():
                _apply_row(plan=plan, by=by, email_changes=email_changes, counts=counts)
        except (ValidationError, IntegrityError):
            counts["reject"] += 1
        else:
            counts[plan.action] += 1
    return counts


def import_start(
    *, text: str, by: User, email_changes: Collection[str] = ()
) -> BulkJob:
    """Queue the import of a previewed CSV as a background job (``portal.bulk``):
    the same plan, applied in batches, with its progress and refused rows on the
    job's page."""
    rows = max(0, len(text.strip().splitlines()) - 1)
    return bulk_job_create(
        kind=IMPORT_KIND,
        title=f"Staff import ({rows} row{'' if rows == 1 else 's'})",
        params={"text": text, "email_changes": sorted(email_changes)},
        by=by,
        total=rows,
    )


IMPORT_KIND = "staff_import"


def _job_rows(job: BulkJob) -> list[Row]:
    # Planned again on every run (under the import lock), against the records as
    # they are: rows a stopped run saved read as unchanged, and are skipped anyway.
    return [
        Row(
            number=plan.number,
            name=f"{plan.name} ({plan.employee_id})" if plan.employee_id else plan.name,
            item=plan,
        )
        for plan in import_plan(text=job.params.get("text", ""))
    ]


def _job_apply(job: BulkJob, row: Row, context: object, counts: Counter) -> None:
    plan: RowPlan = row.item
    if plan.action == "reject":
        raise RowRefused(" ".join(plan.errors))
    _apply_row(
        plan=plan,
        by=job.requested_by,
        email_changes=job.params.get("email_changes", []),
        counts=counts,
    )
    counts[plan.action] += 1


def import_summary(job: BulkJob) -> str:
    """What an import did, as HR reads it."""
    c = job.counts
    return (
        f"Import done: {c.get('create', 0)} created and invited, "
        f"{c.get('change', 0)} changed, {c.get('unchanged', 0)} unchanged, "
        f"{c.get('refused', 0)} rejected."
        + (
            f" {c['email_change']} email change(s) asked for: each person was sent a"
            " link to confirm their new address; until they confirm, they log in as"
            " before."
            if c.get("email_change")
            else ""
        )
    )


def import_job_kind() -> JobKind:
    from django.urls import reverse

    return JobKind(
        rows=_job_rows,
        apply=_job_apply,
        summary=import_summary,
        back_url=lambda job: reverse("staff_import"),
        exclusive=imports_one_at_a_time,
    )


def _apply_row(
    *,
    plan: RowPlan,
    by: User | None,
    email_changes: Collection[str],
    counts: dict[str, int],
) -> None:
    values = plan.values
    ended = (
        {"termination_date": values["termination_date"]}
        if ("termination_date" in values)
        else {}
    )
    if plan.action == "create":
        staff = staff_create(
            email=values["email"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            employee_id=plan.employee_id,
            job_role=values["job_role"],
            team=values["team"],
            hire_date=values["hire_date"],
            created_by=by,
            invite=not ended,
        )
        if ended:
            staff_update(staff=staff, by=by, **ended)
    elif plan.action == "change":
        staff = StaffProfile.objects.select_related("user").get(
            employee_id=plan.employee_id
        )
        user = staff.user
        user_fields = ["first_name", "last_name"]
        if any(getattr(user, f) != values[f] for f in user_fields):
            for f in user_fields:
                setattr(user, f, values[f])
            user.full_clean(exclude=["password"])
            user.save(update_fields=user_fields)
        if plan.email_change and plan.employee_id in email_changes:
            if user_email_change_request(user=user, email=values["email"], by=by):
                counts["email_change"] += 1
        staff_update(
            staff=staff,
            by=by,
            job_role=values["job_role"],
            team=values["team"],
            hire_date=values["hire_date"],
            **ended,
        )


def sample_rows(*, today: dt.date) -> list[list[str]]:
    """A header and two example people, with this agency's own job role codes
    and team names, so the sample itself previews cleanly."""
    roles = list(JobRole.objects.order_by("name").values_list("code", flat=True)[:2])
    teams = list(Team.objects.select_related("site").order_by("site__name", "name")[:2])
    # An agency with one job role or team uses it twice; an empty one gets names
    # to replace.
    role_names = (roles or ["job-role-code"]) * 2
    team_names = ([t.name for t in teams] or ["Team name"]) * 2
    hired = today.isoformat()
    return [
        SAMPLE_HEADER,
        [
            "E-1001",
            "Avery",
            "Example",
            "avery.example@example.org",
            role_names[0],
            team_names[0],
            hired,
        ],
        [
            "E-1002",
            "Jamie",
            "Sample",
            "jamie.sample@example.org",
            role_names[1],
            team_names[1],
            hired,
        ],
    ]
