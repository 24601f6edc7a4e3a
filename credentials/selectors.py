"""Reads about credentials shared by views, other apps and the reminder scan.

The rules themselves are queryset methods: ``Credential.objects.live()`` and
``.with_status(today)`` (the database form of ``status.credential_status``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portal.dates import agency_time_zone, agency_today, start_of_day
from portal.models import StaffProfile, StaffProfileQuerySet
from portal.requirements import (
    Person,
    RequirementStatus,
    Status,
    people_for,
    requirements_by_person,
    requirements_query,
    rule,
)

from .models import (
    Credential,
    CredentialDocument,
    CredentialGroup,
    CredentialRequirement,
    CredentialType,
    Notification,
)
from .status import (
    credential_status,
    missing_phrase,
    missing_phrase_changes_on,
    record_phrase,
    status_of,
)

if TYPE_CHECKING:
    from portal.models import User


def credentials_for(*, staff: StaffProfile) -> QuerySet[Credential]:
    """All of a person's credential records, newest first, with documents and who
    verified them (history included: ``superseded_by`` tells the old ones)."""
    return (
        Credential.objects.filter(staff=staff)
        .select_related("credential_type", "verified_by", "created_by", "superseded_by")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=CredentialDocument.objects.select_related("uploaded_by"),
            )
        )
        .order_by("credential_type__name", "-created_at", "-pk")
    )


def credentials_expiring(
    *,
    within_days: int,
    staff_qs: QuerySet[StaffProfile] | None = None,
    today: dt.date | None = None,
    include_expired: bool = False,
) -> QuerySet[Credential]:
    """Live credentials expiring from today to ``within_days`` ahead (and, with
    ``include_expired``, those already expired), soonest first."""
    today = today or agency_today()
    qs = Credential.objects.live().filter(
        credential_type__has_expiry=True,
        expires_on__lte=today + dt.timedelta(days=within_days),
        staff__in=StaffProfile.objects.current(),
    )
    if not include_expired:
        qs = qs.filter(expires_on__gte=today)
    if staff_qs is not None:
        qs = qs.filter(staff__in=staff_qs.values("pk"))
    return qs.select_related("credential_type", "staff__user", "staff__team").order_by(
        "expires_on", "pk"
    )


def credential_status_counts(
    *, staff_qs: StaffProfileQuerySet | None = None, today: dt.date | None = None
) -> dict[str, int]:
    """How many credential requirements of the people of ``staff_qs`` (everyone
    not terminated by default) are current / expiring / expired / pending /
    missing, by the provider's rule (a group counts once; goals are left out)."""
    today = today or agency_today()
    staff_qs = staff_qs if staff_qs is not None else StaffProfile.objects.current()
    ids = list(staff_qs.current().values_list("pk", flat=True))
    counts: Counter[str] = Counter(dict.fromkeys(_ROLLUP, 0))
    for start in range(0, len(ids), 2000):
        for row in requirement_statuses(
            staff_ids=ids[start : start + 2000], as_of=today
        ):
            if row.status in counts:
                counts[row.status] += 1
    return dict(counts)


_ROLLUP = [
    Status.CURRENT,
    Status.EXPIRING,
    Status.EXPIRED,
    Status.PENDING,
    Status.MISSING,
]


def credential_held(
    *, user: User, credential_types: Iterable[CredentialType], as_of: dt.date
) -> Credential | None:
    """``user``'s verified credential of one of ``credential_types`` that is
    current (or expiring, still valid) on ``as_of``, or None."""
    ids = [t.pk for t in credential_types]
    if not ids or not getattr(user, "pk", None):
        return None
    for cred in (
        Credential.objects.live()
        .filter(
            staff__user=user,
            credential_type_id__in=ids,
            verification_status=Credential.Verification.VERIFIED,
        )
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=as_of))
        .select_related("credential_type")
        .order_by("-expires_on")
    ):
        if status_of(cred, today=as_of) in Status.MET:
            return cred
    return None


def instructor_qualified(
    *, user: User, credential_type: CredentialType, as_of: dt.date
) -> bool:
    """Whether ``user`` holds, on ``as_of``, one of the instructor credentials that
    ``credential_type`` names (the rule sign-offs use for a certified instructor:
    ``credential_held``). A type that names none has no qualified instructor."""
    return (
        credential_held(
            user=user,
            credential_types=credential_type.instructor_credentials.all(),
            as_of=as_of,
        )
        is not None
    )


def credentials_needing_attention(
    *, staff: StaffProfile, today: dt.date
) -> tuple[list, list]:
    """(every credential requirement of ``staff``, those that need their
    attention: expiring, expired, missing or pending; goals aside). The home
    panel lists them and the header badge counts them."""
    from portal.requirements import person_of

    # The staff record was read with its team and job role: no second read.
    rows = requirement_statuses(
        staff_ids=[staff.pk], as_of=today, people=[person_of(staff)]
    )
    return rows, [r for r in rows if r.status != "current" and not r.is_goal]


def attention_credentials(*, staff: StaffProfile, today: dt.date, **_: object) -> int:
    """The header badge's count of one's own credentials needing attention."""
    return len(credentials_needing_attention(staff=staff, today=today)[1])


def attention_verification(**_: object) -> int:
    """The header badge's count for HR: credentials awaiting verification."""
    return pending_verification_count()


def pending_verification_count() -> int:
    return (
        Credential.objects.live()
        .filter(verification_status=Credential.Verification.PENDING)
        .count()
    )


def verification_queue() -> QuerySet[Credential]:
    """Credentials waiting for HR, longest waiting first (a resubmission waits
    from when it was sent back)."""
    return (
        Credential.objects.live()
        .filter(verification_status=Credential.Verification.PENDING)
        .select_related("credential_type", "staff__user", "staff__team", "created_by")
        .prefetch_related("documents")
        .annotate(waiting=Coalesce("resubmitted_at", "created_at"))
        .order_by("waiting", "pk")
    )


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- The readiness roll-up provider --------------------------------------------------


# Which record of a group's members counts: the best status, then the latest expiry.
_RANK = {
    Status.CURRENT: 0,
    Status.EXPIRING: 1,
    Status.PENDING: 2,
    Status.EXPIRED: 3,
    Status.MISSING: 4,
}


def credential_requirements_of(
    *, people: list[Person]
) -> tuple[dict[int, list[CredentialRequirement]], dict[int, list[CredentialType]]]:
    """({staff_id: the credential requirements that apply to them}, {group_id: its
    member types}): one query, and one more when a group is required."""
    reqs = list(
        CredentialRequirement.objects.filter(requirements_query(people)).select_related(
            "credential_type", "group"
        )
    )
    group_ids = {r.group_id for r in reqs if r.group_id}
    members: dict[int, list[CredentialType]] = defaultdict(list)
    if group_ids:
        through = CredentialGroup.members.through
        for link in (
            through.objects.filter(credentialgroup_id__in=group_ids)
            .select_related("credentialtype")
            .order_by("credentialtype__name")
        ):
            members[link.credentialgroup_id].append(link.credentialtype)
    by_person = requirements_by_person(
        people=people, requirements=reqs, item=lambda r: r.key
    )
    return by_person, members


def requirement_types(
    req: CredentialRequirement, members: dict[int, list[CredentialType]]
) -> list[CredentialType]:
    """The credential types that meet ``req``: its type, or its group's members."""
    if req.group_id:
        return members.get(req.group_id, [])
    return [req.credential_type] if req.credential_type else []


def requirement_statuses(
    *,
    staff_ids: Iterable[int],
    as_of: dt.date,
    people: list[Person] | None = None,
) -> list[RequirementStatus]:
    """The "credential" provider: every credential requirement of every person in
    ``staff_ids`` (by job role, program and site) as of ``as_of``, from the record
    valid on that date; a group ("any one of") is met by its best member. Three
    queries whatever the number of people, four when a group is required; one
    fewer when ``people`` (``person_of`` a record read with its team and job role)
    are given."""
    staff_ids = list(staff_ids)
    if not staff_ids:
        return []
    if people is None:
        people = people_for(staff_ids=staff_ids)
    reqs_by_person, members = credential_requirements_of(people=people)
    type_ids = {
        t.pk
        for reqs in reqs_by_person.values()
        for r in reqs
        for t in requirement_types(r, members)
    }
    end = start_of_day(as_of + dt.timedelta(days=1))
    # The record valid on as_of: existing by the end of that day, issued by then,
    # the newest such one that was not rejected by then.
    latest: dict[tuple[int, int], Credential] = {}
    returned: dict[tuple[int, int], Credential] = {}
    creds = (
        Credential.objects.filter(
            staff_id__in=staff_ids, credential_type_id__in=type_ids, created_at__lt=end
        )
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=as_of))
        .order_by("created_at", "pk")
        .only(
            "pk",
            "staff_id",
            "credential_type_id",
            "expires_on",
            "verification_status",
            "verified_at",
            "created_at",
        )
    )
    for record in creds:
        # A decision made after as_of was still pending then (a record without a
        # decision time, e.g. imported, counts as decided when it was created).
        decided_later = record.verified_at is not None and record.verified_at >= end
        status_then = (
            Credential.Verification.PENDING
            if decided_later
            else record.verification_status
        )
        if status_then == Credential.Verification.REJECTED:
            returned[(record.staff_id, record.credential_type_id)] = record
            continue
        record._status_then = status_then
        latest[(record.staff_id, record.credential_type_id)] = record
    tz = agency_time_zone()
    add_url = reverse("credential_add")
    # One reverse() per page, not one per cell.
    detail_url = reverse("credential_detail", args=[987654321])

    def url_of(credential: Credential) -> str:
        return detail_url.replace("987654321", str(credential.pk))

    out = []
    for person in people:
        staff_id = person.staff_id
        for req in reqs_by_person.get(staff_id, []):
            types = requirement_types(req, members)
            due_on = req.due_on(
                hire_date=person.hire_date, orientation_days=person.orientation_days
            )
            best: tuple | None = None
            status_on = None
            detail_changes_on = None
            for ctype in types:
                cred = latest.get((staff_id, ctype.pk))
                if cred is None:
                    continue
                status = credential_status(
                    today=as_of,
                    expires_on=cred.expires_on,
                    verification_status=cred._status_then,
                    warning_days=ctype.warning_days,
                    has_expiry=ctype.has_expiry,
                )
                expires_on = cred.expires_on if ctype.has_expiry else None
                rank = (_RANK[status], -(expires_on or dt.date.max).toordinal())
                if best is None or rank < best[0]:
                    best = (rank, status, cred, ctype, expires_on)
            extra: dict = {"type_ids": [t.pk for t in types]}
            label = req.required_label
            if req.group_id:
                extra["group"] = True
                extra["members"] = [t.name for t in types]
            back = next(
                (
                    returned[(staff_id, t.pk)]
                    for t in types
                    if (staff_id, t.pk) in returned
                ),
                None,
            )
            if best is None and back is not None:
                # HR returned what the person sent: say so, not how long ago the
                # hire-date deadline was.
                expires_on = None
                status = Status.MISSING
                decided = timezone.localtime(back.verified_at, tz).date()
                detail = f"returned by HR on {date_format(decided)}: action needed"
                extra["returned"] = True
                url = url_of(back)
            elif best is None:
                expires_on = None
                if req.is_goal:
                    status, detail = Status.GOAL, "a goal, no due date"
                else:
                    status = Status.MISSING
                    detail = missing_phrase(
                        today=as_of,
                        due_on=due_on,
                        before_first_shift=req.before_first_shift,
                    )
                    detail_changes_on = missing_phrase_changes_on(
                        today=as_of,
                        due_on=due_on,
                        before_first_shift=req.before_first_shift,
                    )
                if req.group_id:
                    detail = f"{detail}; any one of {', '.join(extra['members'])}"
                    url = add_url
                else:
                    url = add_url + f"?type={req.credential_type_id}"
            else:
                _, status, cred, ctype, expires_on = best
                status_on = rule(
                    credential_status,
                    "today",
                    expires_on=cred.expires_on,
                    verification_status=cred._status_then,
                    warning_days=ctype.warning_days,
                    has_expiry=ctype.has_expiry,
                )
                since = timezone.localtime(cred.created_at, tz).date()
                detail = record_phrase(
                    status=status, expires_on=expires_on, pending_since=since
                )
                if req.group_id:
                    extra["satisfied_by"] = ctype.name
                    detail = f"{ctype.name}: {detail}"
                if status == Status.PENDING:
                    extra["pending_since"] = since
                url = url_of(cred)
            out.append(
                RequirementStatus(
                    staff_id=staff_id,
                    key=req.key,
                    label=label,
                    kind="credential",
                    status=status,
                    before_first_shift=req.before_first_shift,
                    due_on=due_on,
                    expires_on=expires_on,
                    detail=detail,
                    url=url,
                    extra=extra,
                    status_on=status_on,
                    detail_changes_on=detail_changes_on,
                )
            )
    return out


def credentials_for_review() -> QuerySet[Credential]:
    return Credential.objects.select_related(
        "credential_type", "staff__user", "staff__team", "staff__job_role", "created_by"
    ).prefetch_related("documents")
