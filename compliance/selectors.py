"""Reads shared by the compliance pages: the team matrix and HR's dashboard.

Everything starts from ``portal.selectors.staff_visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, Trim
from django.template.loader import render_to_string

from portal.fragments import people_fragment
from portal.models import StaffProfile
from portal.requirements import RequirementStatus, Status, annotate
from portal.roles import is_hr
from portal.rollup import (
    VERDICT_FILTERS,
    Column,
    Readiness,
    column_sort_key,
    column_totals,
    columns_of,
    readiness_for,
)
from portal.selectors import staff_visible_to, teams_visible_to
from readiness.selectors import (
    STORED_CELL_FIELDS,
    VERDICT_WHERE,
    readiness_from_store,
    store_ready,
    store_serves,
    stored_cell,
)

if TYPE_CHECKING:
    from portal.types import AnyUser

SORTS = {
    "name": ("user__last_name", "user__first_name", "pk"),
    "-name": ("-user__last_name", "-user__first_name", "-pk"),
    "team": ("team__name", "user__last_name", "user__first_name", "pk"),
    "job_role": ("job_role__name", "user__last_name", "user__first_name", "pk"),
    "hire_date": ("hire_date", "user__last_name", "pk"),
    "-hire_date": ("-hire_date", "user__last_name", "pk"),
}
PER_PAGE = 25


def matrix_people(*, user: AnyUser, as_of: dt.date) -> QuerySet[StaffProfile]:
    """Everyone the matrix and the home panel count: the people ``user`` may see
    who were on staff on ``as_of`` (hired by then, not yet gone). A supervisor
    counts the people on the teams they supervise, and themselves only when they
    are on one of those teams."""
    qs = staff_visible_to(user=user).current(as_of=as_of)
    if not is_hr(user):
        team_ids = teams_visible_to(user=user).values_list("pk", flat=True)
        qs = qs.exclude(Q(user=user) & ~Q(team_id__in=team_ids))
    return qs


@dataclass
class MatrixRow:
    staff: StaffProfile
    readiness: Readiness
    ordered: list | None = None

    @property
    def cells(self) -> dict[str, RequirementStatus]:
        return self.readiness.cells


# Above this many people without a verdict filter, the matrix counts the page only.
OVERALL_COUNT_LIMIT = 500


def matrix_page(
    *,
    people: QuerySet[StaffProfile],
    verdict: str,
    as_of: dt.date,
    page_number=1,
    per_page: int = PER_PAGE,
    scope: QuerySet[StaffProfile] | None = None,
) -> dict:
    """One page of the matrix, its columns and per-column totals.

    ``people`` are those of ``compliance.filters.MatrixFilter``: on the readiness
    store's date its verdict is already a WHERE clause; on another date the
    verdict is tested here, on each candidate's roll-up.

    With a verdict filter ("not ready"), or a filtered set small enough to count
    (a supervisor's teams), verdicts are computed for every candidate in bulk
    (2,000 at a time) so the page shows overall counts; the matching people are
    then paged. A large unfiltered set (HR over the whole agency) computes only
    the page, and the overall counts are left to the compliance dashboard.
    ``scope`` is everyone the viewer's matrix covers (``matrix_people``, before
    the filters): only they are brought up to date before the read.
    """
    qs = people
    test = VERDICT_FILTERS.get(verdict)
    if store_serves(as_of):
        return _matrix_page_from_store(
            qs=qs,
            scope=people if scope is None else scope,
            verdict=verdict if test else "",
            as_of=as_of,
            page_number=page_number,
            per_page=per_page,
        )
    ids = list(qs.values_list("pk", flat=True))
    all_readiness: dict = {}
    count_all = test is not None or len(ids) <= OVERALL_COUNT_LIMIT
    if count_all:
        for start in range(0, len(ids), 2000):
            all_readiness.update(
                readiness_for(staff_ids=ids[start : start + 2000], as_of=as_of)
            )
    matching = ids if test is None else [pk for pk in ids if test[1](all_readiness[pk])]
    page = Paginator(matching, per_page).get_page(page_number)
    page_ids = list(page.object_list)
    if not count_all:
        all_readiness = readiness_for(staff_ids=page_ids, as_of=as_of)
    overall = (
        {
            "people": len(matching),
            "ready": sum(1 for pk in matching if all_readiness[pk].ready_for_floor),
            "compliant": sum(1 for pk in matching if all_readiness[pk].fully_compliant),
        }
        if count_all
        else None
    )
    readiness = {pk: all_readiness[pk] for pk in page_ids}
    return {
        "page": page,
        "overall": overall,
        "people_count": len(matching),
        **_matrix_table(page_ids=page_ids, readiness=readiness, as_of=as_of),
    }


def _matrix_page_from_store(
    *,
    qs: QuerySet[StaffProfile],
    scope: QuerySet[StaffProfile],
    verdict: str,
    as_of: dt.date,
    page_number,
    per_page,
) -> dict:
    """``matrix_page`` for today: the verdict is a WHERE clause on the readiness
    store (``qs`` has it), the counts are one aggregate, and the cells of the
    people on the page are read from the store (or, while a worker is bringing
    the store up to date, worked out for them alone)."""
    lag = store_ready(as_of=as_of, among=scope)
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)

    def counts() -> dict:
        return qs.aggregate(
            people=Count("pk"),
            ready=Count("pk", filter=Q(readiness__ready_for_floor=True)),
            compliant=Count("pk", filter=Q(readiness__fully_compliant=True)),
        )

    overall = None
    if verdict:
        # The aggregate counts the people too: the paginator need not.
        overall = counts()
        paginator.__dict__["count"] = overall["people"]  # its cached_property
    elif paginator.count <= OVERALL_COUNT_LIMIT:
        overall = counts()
    page = paginator.get_page(page_number)
    page_ids = list(page.object_list)

    def table() -> dict:
        read = readiness_for if lag else readiness_from_store
        readiness = read(staff_ids=page_ids, as_of=as_of)
        return _matrix_table(page_ids=page_ids, readiness=readiness, as_of=as_of)

    return {
        "page": page,
        "overall": overall,
        "people_count": paginator.count,
        # While a worker brings the store up to date the page is worked out
        # afresh; otherwise the table of these people is kept until one of them,
        # the agency's setup or the day changes (the readiness store renews
        # their versions on every change it records).
        **(table() if lag else people_fragment("matrix-table", page_ids, table)),
        "store_lag": lag,
    }


def _matrix_table(*, page_ids: list[int], readiness: dict, as_of: dt.date) -> dict:
    """The matrix table of these people (in this order): its HTML and the counts
    the summary above it gives."""
    by_pk = StaffProfile.objects.select_related("user", "job_role", "team").in_bulk(
        page_ids
    )
    people = [by_pk[pk] for pk in page_ids if pk in by_pk]
    rows = [MatrixRow(staff=p, readiness=readiness[p.pk]) for p in people]
    columns = columns_of([r.readiness for r in rows])
    totals = column_totals([r.readiness for r in rows], columns)
    for row in rows:
        row.ordered = [row.readiness.cells.get(c.key) for c in columns]
    column_info = [{"column": c, "totals": totals.get(c.key, {})} for c in columns]
    ready_count = sum(1 for r in rows if r.readiness.ready_for_floor)
    compliant_count = sum(1 for r in rows if r.readiness.fully_compliant)
    html = render_to_string(
        "compliance/_matrix_table.html",
        {
            "rows": rows,
            "columns": columns,
            "column_info": column_info,
            "ready_count": ready_count,
            "compliant_count": compliant_count,
            "as_of": as_of,
        },
    )
    return {
        "table_html": html,
        "shown": len(rows),
        "ready_count": ready_count,
        "compliant_count": compliant_count,
    }


# The verdicts the supervisor's home counts; each number opens the matrix
# filtered by the same verdict (``VERDICT_FILTERS`` / ``VERDICT_WHERE``).
SUMMARY_VERDICTS = ("not_ready", "not_compliant", "has_expired")


def verdict_counts(
    *, people: QuerySet[StaffProfile], as_of: dt.date, verdicts: Sequence[str]
) -> dict[str, int]:
    """How many of ``people`` each verdict filter of the matrix would list, and
    ``people``: the same rule as the filter, so a number and its list agree."""
    if store_serves(as_of):
        store_ready(as_of=as_of, among=people)
        return people.order_by().aggregate(
            people=Count("pk"),
            **{name: Count("pk", filter=VERDICT_WHERE[name]) for name in verdicts},
        )
    ids = list(people.values_list("pk", flat=True))
    readiness: dict[int, Readiness] = {}
    for start in range(0, len(ids), 2000):
        readiness.update(
            readiness_for(staff_ids=ids[start : start + 2000], as_of=as_of)
        )
    counts = {"people": len(ids)}
    for name in verdicts:
        test = VERDICT_FILTERS[name][1]
        counts[name] = sum(1 for r in readiness.values() if test(r))
    return counts


def matrix_summary(*, user: AnyUser, as_of: dt.date) -> dict:
    """Counts for the supervisor's home panel: people, not ready, not compliant
    (something past due), something expired or overdue; each a number of people
    the matrix lists with that verdict."""
    return verdict_counts(
        people=matrix_people(user=user, as_of=as_of),
        as_of=as_of,
        verdicts=SUMMARY_VERDICTS,
    )


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 100


def dashboard_data(
    *, as_of: dt.date, new_hire_days: int = 90, renew_within: int = 90
) -> dict:
    """HR's figures across the agency as of a date (everyone on staff that day).

    ``renewal_rows`` lists only what must be renewed within ``renew_within`` days
    of ``as_of``, each with its days left, whatever the provider's own
    "expiring" threshold; the view groups and pages them."""
    if store_serves(as_of):
        return _dashboard_from_store(
            as_of=as_of, new_hire_days=new_hire_days, renew_within=renew_within
        )
    people = list(
        StaffProfile.objects.current(as_of=as_of).values(
            "pk",
            "user_id",
            "user__first_name",
            "user__last_name",
            "hire_date",
            "job_role__name",
            "job_role__orientation_days",
            "team__name",
            "team__site_id",
            "team__site__name",
            "team__program_id",
            "team__program__name",
        )
    )
    readiness: dict[int, Readiness] = {}
    ids = [p["pk"] for p in people]
    for start in range(0, len(ids), 2000):
        readiness.update(
            readiness_for(staff_ids=ids[start : start + 2000], as_of=as_of)
        )
    groups: dict[str, defaultdict[tuple, list[int]]] = {
        "site": defaultdict(lambda: [0, 0, 0]),
        "program": defaultdict(lambda: [0, 0, 0]),
    }
    lapsed_people = pending_people = 0
    renewals = {30: 0, 60: 0, 90: 0}
    renewal_rows, overdue_rows, new_hires = [], [], []
    pending = 0
    ready_total = compliant_total = 0
    for p in people:
        r = readiness[p["pk"]]
        name = f"{p['user__first_name']} {p['user__last_name']}".strip()
        ready_total += r.ready_for_floor
        compliant_total += r.fully_compliant
        lapsed_people += VERDICT_FILTERS["has_expired"][1](r)
        pending_people += VERDICT_FILTERS["has_pending"][1](r)
        for kind in ("site", "program"):
            bucket = groups[kind][
                (p[f"team__{kind}__name"] or "No team", p[f"team__{kind}_id"])
            ]
            bucket[0] += 1
            bucket[1] += r.ready_for_floor
            bucket[2] += r.fully_compliant
        for c in r.cells.values():
            if c.status == Status.PENDING:
                pending += 1
            if c.status in (Status.EXPIRED, Status.OVERDUE):
                overdue_rows.append((name, p["pk"], c))
            if c.is_met and c.expires_on and as_of <= c.expires_on:
                days = (c.expires_on - as_of).days
                for window in (30, 60, 90):
                    if days <= window:
                        renewals[window] += 1
                if days <= renew_within:
                    renewal_rows.append((c.expires_on, name, p["pk"], c, days))
        hired = p["hire_date"]
        if (
            hired
            and hired <= as_of
            and (as_of - hired).days <= new_hire_days
            and not r.ready_for_floor
        ):
            due = hired + dt.timedelta(days=p["job_role__orientation_days"] or 0)
            new_hires.append(
                {
                    "pk": p["pk"],
                    "name": name,
                    "job_role": p["job_role__name"],
                    "team": p["team__name"],
                    "hire_date": hired,
                    "due_on": due,
                    "late": due < as_of,
                    "missing": [c.label for c in r.unmet if c.before_first_shift],
                }
            )
    total = len(people)

    def table(kind):
        return [
            {
                "name": name,
                "pk": pk,
                "people": v[0],
                "ready": v[1],
                "compliant": v[2],
                "ready_rate": _rate(v[1], v[0]),
                "compliant_rate": _rate(v[2], v[0]),
            }
            for (name, pk), v in sorted(
                groups[kind].items(), key=lambda item: (item[0][0], item[0][1] or 0)
            )
        ]

    renewal_bands = {30: 0, 60: 0, 90: 0}
    for row in renewal_rows:
        renewal_bands[renewal_band(row[4])] += 1
    # Renewals soonest first, both lists by last name (as the store reads them).
    sort_name = {
        p["pk"]: (p["user__last_name"], p["user__first_name"], p["user_id"])
        for p in people
    }
    renewal_rows.sort(key=lambda t: (t[0], sort_name[t[2]], t[3].label))
    overdue_rows.sort(key=lambda t: (sort_name[t[1]], t[2].label))
    new_hires.sort(key=lambda h: (h["due_on"], h["name"]))
    return {
        "as_of": as_of,
        "people": total,
        "ready": ready_total,
        "compliant": compliant_total,
        "ready_rate": _rate(ready_total, total),
        "compliant_rate": _rate(compliant_total, total),
        "sites": table("site"),
        "programs": table("program"),
        "renewals": renewals,
        "renew_within": renew_within,
        "renewal_rows": renewal_rows,
        "renewal_bands": renewal_bands,
        "overdue_count": len(overdue_rows),
        "overdue_rows": overdue_rows,
        "lapsed_people": lapsed_people,
        "pending": pending,
        "pending_people": pending_people,
        "new_hires": new_hires,
    }


RENEWAL_BAND_LIMITS = (30, 60, 90)


def renewal_band(days: int) -> int:
    """The renewal band (30, 60 or 90 days) of what is due in ``days``."""
    return next(limit for limit in RENEWAL_BAND_LIMITS if days <= limit)


class StoredRows(Sequence):
    """Dashboard rows read from the store: ``len()`` is one COUNT, a slice (a page)
    is one query plus the annotators' notes (a booked class) for the people on
    it, and iterating (the CSV) reads the stored fields alone."""

    FIELDS = (*STORED_CELL_FIELDS, "name")

    def __init__(self, qs, *, as_of: dt.date, shape, count: int | None = None) -> None:
        """``count``: the number of rows when an aggregate already gave it (else
        ``len()`` counts ``qs``)."""
        self.qs, self.as_of, self.shape = qs, as_of, shape
        self._count = count

    def count(self) -> int:  # type: ignore[override]
        if self._count is None:
            self._count = self.qs.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = list(self.qs[index].values(*self.FIELDS))
        cells: dict[int, list] = {}
        for row in rows:
            row["cell"] = stored_cell(row)
            cells.setdefault(row["staff_id"], []).append(row["cell"])
        annotate(rows=cells, as_of=self.as_of)
        return [self.shape(row, row["cell"]) for row in rows]

    def __iter__(self):
        for row in self.qs.values(*self.FIELDS).iterator(chunk_size=2000):
            yield self.shape(row, stored_cell(row))


class NewHires(Sequence):
    """Recent hires not ready for the floor, in the order given: read once with a
    few fields each; what each is missing before the first shift is read for the
    rows asked for (a page: one query)."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.rows[index]
        self._fill([row for row in rows if "missing" not in row])
        return rows

    def __iter__(self):
        for start in range(0, len(self.rows), 2000):
            yield from self[start : start + 2000]

    @staticmethod
    def _fill(rows: list[dict]) -> None:
        from readiness.models import RequirementState
        from readiness.selectors import MET

        if not rows:
            return
        missing: dict[int, list[Column]] = defaultdict(list)
        for state in (
            RequirementState.objects.filter(
                staff_id__in=[row["pk"] for row in rows], before_first_shift=True
            )
            .exclude(status__in=[*MET, Status.GOAL])
            .values("staff_id", "key", "label", "kind")
        ):
            missing[state["staff_id"]].append(
                Column(state["key"], state["label"], state["kind"])
            )
        for row in rows:
            columns = sorted(missing[row["pk"]], key=column_sort_key)
            row["missing"] = [c.label for c in columns]


def _dashboard_from_store(
    *, as_of: dt.date, new_hire_days: int, renew_within: int
) -> dict:
    """``dashboard_data`` for today as a few aggregate queries over the store; the
    lists read only the page shown, through indexes that give their order."""
    from portal.models import Team
    from readiness.models import PersonReadiness, RequirementState
    from readiness.selectors import LAPSED, MET

    lag = store_ready(as_of=as_of)
    people = PersonReadiness.objects.filter(on_staff=True)
    ready = Count("pk", filter=Q(ready_for_floor=True))
    compliant = Count("pk", filter=Q(fully_compliant=True))
    # One grouping by team gives the agency's figures too; the teams' sites and
    # programs are few.
    by_team = list(
        people.values(team=F("staff__team_id"))
        .annotate(
            people=Count("pk"),
            ready=ready,
            compliant=compliant,
            pending_items=Sum("pending"),
            lapsed=Sum("expired") + Sum("overdue"),
            lapsed_people=Count("pk", filter=Q(expired__gt=0) | Q(overdue__gt=0)),
            pending_people=Count("pk", filter=Q(pending__gt=0)),
        )
        .order_by()
    )
    figures = {
        name: sum(r[name] or 0 for r in by_team)
        for name in (
            "people",
            "ready",
            "compliant",
            "pending_items",
            "lapsed",
            "lapsed_people",
            "pending_people",
        )
    }
    total = figures["people"]
    places: dict[int, Mapping[str, Any]] = {
        t["pk"]: t
        for t in Team.objects.filter(
            pk__in=[r["team"] for r in by_team if r["team"]]
        ).values("pk", "site_id", "site__name", "program_id", "program__name")
    }

    def table(kind: str) -> list[dict]:
        merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in by_team:
            place = places.get(r["team"]) or {}
            bucket = merged[
                (place.get(f"{kind}__name") or "No team", place.get(f"{kind}_id"))
            ]
            bucket[0] += r["people"]
            bucket[1] += r["ready"]
            bucket[2] += r["compliant"]
        return [
            {
                "name": name,
                "pk": pk,
                "people": v[0],
                "ready": v[1],
                "compliant": v[2],
                "ready_rate": _rate(v[1], v[0]),
                "compliant_rate": _rate(v[2], v[0]),
            }
            for (name, pk), v in sorted(
                merged.items(), key=lambda item: (item[0][0], item[0][1] or 0)
            )
        ]

    # Only people on staff have requirement rows (the roll-up gives the others
    # none), so the counts need no join; the rows of a page add the name.
    renewing = RequirementState.objects.filter(status__in=MET, expires_on__gte=as_of)
    states = RequirementState.objects.annotate(
        name=Trim(
            Concat("staff__user__first_name", Value(" "), "staff__user__last_name")
        )
    )

    def within(days: int) -> Q:
        return Q(expires_on__lte=as_of + dt.timedelta(days=days))

    # The widest band bounds the range read from the renewal index, and counting
    # its column (not the id) lets PostgreSQL read the index alone.
    bands = renewing.filter(within(90)).aggregate(
        **{
            f"in_{lo}_{hi}": Count("expires_on", filter=within(hi) & ~within(lo))
            for lo, hi in ((-1, 30), (30, 60), (60, 90))
        }
    )
    in_30 = bands["in_-1_30"]
    renewals = {30: in_30, 60: in_30 + bands["in_30_60"]}
    renewals[90] = renewals[60] + bands["in_60_90"]
    renewal_bands = {
        30: in_30,
        60: bands["in_30_60"] if renew_within > 30 else 0,
        90: bands["in_60_90"] if renew_within > 60 else 0,
    }
    if renew_within < 30:
        renewal_bands[30] = renewing.filter(within(renew_within)).count()
    elif renew_within < 60:
        renewal_bands[60] = renewing.filter(within(renew_within) & ~within(30)).count()
    elif renew_within < 90:
        renewal_bands[90] = renewing.filter(within(renew_within) & ~within(60)).count()
    # Soonest first, then by last name: the renewal index gives the dates in
    # order, so a page sorts only the rows of its own days.
    renewal_rows = StoredRows(
        states.filter(status__in=MET, expires_on__gte=as_of)
        .filter(within(renew_within))
        .order_by(
            "expires_on",
            "staff__user__last_name",
            "staff__user__first_name",
            "staff__user_id",
            "label",
            "pk",
        ),
        count=sum(renewal_bands.values()),
        as_of=as_of,
        shape=lambda row, cell: (
            row["expires_on"],
            row["name"],
            row["staff_id"],
            cell,
            (row["expires_on"] - as_of).days,
        ),
    )
    # By last name: the users' name index walks people in order, each person's
    # lapsed rows found through the person.
    overdue_count = figures["lapsed"] or 0
    overdue_rows = StoredRows(
        states.filter(status__in=LAPSED).order_by(
            "staff__user__last_name",
            "staff__user__first_name",
            "staff__user_id",
            "label",
            "pk",
        ),
        count=overdue_count,
        as_of=as_of,
        shape=lambda row, cell: (row["name"], row["staff_id"], cell),
    )
    new_hires = []
    for p in people.filter(
        ready_for_floor=False,
        staff__hire_date__lte=as_of,
        staff__hire_date__gte=as_of - dt.timedelta(days=new_hire_days),
    ).values(
        "staff_id",
        "staff__user__first_name",
        "staff__user__last_name",
        "staff__hire_date",
        "staff__job_role__name",
        "staff__job_role__orientation_days",
        "staff__team__name",
    ):
        hired = p["staff__hire_date"]
        due = hired + dt.timedelta(days=p["staff__job_role__orientation_days"] or 0)
        name = f"{p['staff__user__first_name']} {p['staff__user__last_name']}"
        new_hires.append(
            {
                "pk": p["staff_id"],
                "name": name.strip(),
                "job_role": p["staff__job_role__name"],
                "team": p["staff__team__name"],
                "hire_date": hired,
                "due_on": due,
                "late": due < as_of,
            }
        )
    new_hires.sort(key=lambda h: (h["due_on"], h["name"]))
    return {
        "as_of": as_of,
        "people": total,
        "ready": figures["ready"],
        "compliant": figures["compliant"],
        "ready_rate": _rate(figures["ready"], total),
        "compliant_rate": _rate(figures["compliant"], total),
        "sites": table("site"),
        "programs": table("program"),
        "renewals": renewals,
        "renew_within": renew_within,
        "renewal_rows": renewal_rows,
        "renewal_bands": renewal_bands,
        "overdue_count": overdue_count,
        "overdue_rows": overdue_rows,
        "lapsed_people": figures["lapsed_people"],
        "pending": figures["pending_items"] or 0,
        "pending_people": figures["pending_people"],
        "new_hires": NewHires(new_hires),
        "store_lag": lag,
    }
