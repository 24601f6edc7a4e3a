"""Pages of the compliance app: team matrix, dashboard, exports, training files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.files.storage import storages
from django.core.paginator import Page, Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse

from portal import queue
from portal.audit import audit_access
from portal.csvfiles import csv_response as _csv_response
from portal.dates import agency_now, agency_today
from portal.models import StaffProfile
from portal.pdf import pdf_from_template, pdf_response
from portal.permissions import (
    any_user,
    hr_required,
    supervisor_or_hr_required,
    visible_staff_or_404,
)
from portal.roles import is_hr
from portal.rollup import VERDICT_FILTERS
from portal.selectors import own_staff_profile
from portal.types import AuthenticatedHttpRequest
from readiness.selectors import store_ready, store_serves

from . import exports, selectors, services
from .filters import MatrixFilter, matrix_link
from .forms import (
    AsOfForm,
    BulkForm,
    DashboardForm,
    SiteExportForm,
    posted_ids,
)
from .models import ExportJob
from .transcript import transcript_context, transcript_file_name

if TYPE_CHECKING:
    from django.core.paginator import Page
    from django.db.models import QuerySet


def _filters(request: HttpRequest) -> MatrixFilter:
    """The matrix's filters as the request asks for them (none when it asks for
    nothing: the form shows its initial values)."""
    return MatrixFilter(request.GET or None, request=request)


def _people_for_export(filters: MatrixFilter) -> QuerySet[StaffProfile]:
    """The filtered people, with today's verdict WHERE clause read from a fresh
    readiness store."""
    if filters.verdict_value and store_serves(filters.as_of_date):
        store_ready(
            as_of=filters.as_of_date,
            among=selectors.matrix_people(
                user=filters.request.user, as_of=filters.as_of_date
            ),
        )
    return filters.qs


@supervisor_or_hr_required
def matrix(request: HttpRequest) -> HttpResponse:
    """The supervisor's team matrix: people × requirements, as of a date."""
    filters = _filters(request)
    as_of = filters.as_of_date
    data = selectors.matrix_page(
        people=filters.qs,
        verdict=filters.verdict_value,
        as_of=as_of,
        page_number=request.GET.get("page"),
        per_page=filters.page_size,
        scope=selectors.matrix_people(user=request.user, as_of=as_of),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/matrix.html",
        {
            **data,
            "form": filters.form,
            "as_of": as_of,
            "is_today": as_of == agency_today(),
            "querystring": query.urlencode(),
            "bulk_actions": services.BulkAction.CHOICES,
            "verdict_label": VERDICT_FILTERS.get(filters.verdict_value, ("",))[0],
            "active_filters": sum(
                1
                for name in ("q", "team", "site", "program", "job_role", "verdict")
                if request.GET.get(name)
            )
            + filters.chosen_as_of,
        },
    )


@supervisor_or_hr_required
def matrix_export(request: HttpRequest) -> StreamingHttpResponse:
    """The matrix for the current filters as CSV, one row per person and requirement."""
    filters = _filters(request)
    as_of = filters.as_of_date
    qs = _people_for_export(filters)
    audit_access(
        actor=request.user,
        obj_or_model=StaffProfile,
        what=f"Exported the team matrix CSV as of {as_of} ({request.GET.urlencode()})",
    )
    rows = exports.matrix_rows(qs, as_of=as_of, keep=filters.verdict_keep)
    return _csv_response(exports.csv_lines(rows), f"team-matrix-{as_of}.csv")


@supervisor_or_hr_required
def credentials_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every credential requirement of the filtered people, with status, as CSV."""
    filters = _filters(request)
    as_of = filters.as_of_date
    qs = _people_for_export(filters)
    audit_access(
        actor=request.user,
        obj_or_model=StaffProfile,
        what=f"Exported the credentials CSV as of {as_of} ({request.GET.urlencode()})",
    )
    rows = exports.matrix_rows(
        qs,
        as_of=as_of,
        keep=filters.verdict_keep,
        kinds={"credential"},
    )
    return _csv_response(exports.csv_lines(rows), f"credentials-{as_of}.csv")


@any_user
def training_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's training file as a PDF, requirements as of a chosen date."""
    staff = visible_staff_or_404(request.user, pk)
    form = AsOfForm(request.GET or None)
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or (
        agency_today()
    )
    pdf = exports.training_file_pdf(staff=staff, as_of=as_of, generated_by=request.user)
    audit_access(
        actor=request.user,
        obj_or_model=staff,
        what=f"Downloaded the training file (PDF) as of {as_of}",
    )
    return pdf_response(pdf, filename=exports.training_file_name(staff, as_of))


@any_user
def transcript(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A learner's transcript: theirs (``/transcript/``), or a person the viewer
    may see (their supervisor, HR); 404 otherwise."""
    if pk is None:
        own = own_staff_profile(request.user)
        if own is None:
            messages.info(
                request,
                "You have no staff record, so there is no transcript of yours. "
                "Open a person's page to see theirs.",
            )
            return redirect("home")
        pk = own.pk
    staff = visible_staff_or_404(request.user, pk)
    return render(
        request,
        "compliance/transcript.html",
        transcript_context(staff=staff),
    )


@any_user
def transcript_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The transcript as a PDF (xhtml2pdf), for the same people as the page."""
    staff = visible_staff_or_404(request.user, pk)
    context = transcript_context(staff=staff)
    context["generated"] = exports.training_file_stamp(
        generated_at=agency_now(), generated_by=request.user
    )
    pdf = pdf_from_template(
        template_name="compliance/transcript_pdf.html", context=context
    )
    audit_access(
        actor=request.user,
        obj_or_model=staff,
        what="Downloaded the transcript (PDF)",
    )
    return pdf_response(pdf, filename=transcript_file_name(staff))


RENEWAL_BANDS = (
    (30, "Within 30 days"),
    (60, "In 31 to 60 days"),
    (90, "In 61 to 90 days"),
)
DASHBOARD_PAGE_SIZE = 15


_band = selectors.renewal_band


def _dashboard_data(request: HttpRequest) -> tuple[DashboardForm, dict]:
    form = DashboardForm(request.GET or None)
    valid = form.is_valid()
    as_of = (form.cleaned_data.get("as_of") if valid else None) or agency_today()
    within = (form.cleaned_data.get("within") if valid else None) or 90
    return form, selectors.dashboard_data(as_of=as_of, renew_within=within)


def _page_of(request: HttpRequest, rows: list, param: str) -> Page:
    """One page of ``rows``, its number read from the ``param`` parameter."""
    return Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(request.GET.get(param))


@hr_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """HR's compliance dashboard across the agency."""
    form, data = _dashboard_data(request)
    as_of = data["as_of"]
    links = {
        verdict: matrix_link(as_of=as_of, verdict=verdict)
        for verdict in VERDICT_FILTERS
    }
    for row in (*data["sites"], *data["programs"]):
        row["links"] = {}
    for kind in ("site", "program"):
        for row in data[f"{kind}s"]:
            if row["pk"] is None:  # "No team": the matrix has no such filter
                continue
            row["links"] = {
                "people": matrix_link(as_of=as_of, **{kind: row["pk"]}),
                "ready": matrix_link(as_of=as_of, verdict="ready", **{kind: row["pk"]}),
                "compliant": matrix_link(
                    as_of=as_of, verdict="compliant", **{kind: row["pk"]}
                ),
            }
    renewals = _page_of(request, data["renewal_rows"], "renewals_page")
    overdue = _page_of(request, data["overdue_rows"], "overdue_page")
    new_hires = _page_of(request, data["new_hires"], "newhires_page")
    counts = data["renewal_bands"]
    groups: list[dict] = []
    for row in renewals.object_list:
        band = _band(row[4])
        if not groups or groups[-1]["limit"] != band:
            label = dict(RENEWAL_BANDS)[band]
            groups.append(
                {"limit": band, "label": label, "count": counts[band], "rows": []}
            )
        renew_by, name, pk, cell, days = row
        left = "Renew today" if days == 0 else f"{days} day{pluralize(days)} left"
        groups[-1]["rows"].append(
            {"renew_by": renew_by, "name": name, "pk": pk, "cell": cell, "left": left}
        )
    bands = [
        {"limit": limit, "label": label, "count": counts[limit]}
        for limit, label in RENEWAL_BANDS
        if limit <= data["renew_within"]
    ]
    return render(
        request,
        "compliance/dashboard.html",
        {
            **data,
            "form": form,
            "is_today": data["as_of"] == agency_today(),
            "renewals_page": renewals,
            "renewal_groups": groups,
            "renewal_bands": bands,
            "overdue_page": overdue,
            "newhires_page": new_hires,
            "links": links,
            "not_compliant": data["people"] - data["compliant"],
            "not_ready": data["people"] - data["ready"],
        },
    )


@hr_required
def renewals_export(request: HttpRequest) -> StreamingHttpResponse:
    """The dashboard's renewals (same date and window) as CSV."""
    _form, data = _dashboard_data(request)
    as_of = data["as_of"]
    audit_access(
        actor=request.user,
        obj_or_model=StaffProfile,
        what=f"Exported the renewals CSV as of {as_of} ({request.GET.urlencode()})",
    )
    header = [["Renew by", "Days left", "Within", "Person", "Requirement", "Type"]]
    rows = [
        [
            renew_by.isoformat(),
            days,
            f"{_band(days)} days",
            name,
            cell.label,
            cell.kind.capitalize(),
        ]
        for renew_by, name, _pk, cell, days in data["renewal_rows"]
    ]
    return _csv_response(exports.csv_lines(header + rows), f"renewals-{as_of}.csv")


@hr_required
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Long exports: a site's training files as one ZIP, built in the background."""
    form = SiteExportForm(request.POST or None, initial={"as_of": agency_today()})
    if request.method == "POST" and form.is_valid():
        with queue.watch() as unqueued:
            job = services.export_job_create(
                site=form.cleaned_data["site"],
                as_of=form.cleaned_data["as_of"],
                requested_by=request.user,
            )
        if unqueued:
            messages.warning(
                request,
                "Your export is saved. The background queue is not reachable right "
                "now, so it will start automatically within a few minutes of it "
                "coming back; this page shows its progress.",
            )
        audit_access(
            actor=request.user,
            obj_or_model=job,
            what=f"Requested the training files ZIP of {job.site} as of {job.as_of}",
        )
        return redirect("compliance:export_detail", pk=job.pk)
    jobs = ExportJob.objects.select_related("site", "requested_by")[:20]
    return render(request, "compliance/export_list.html", {"form": form, "jobs": jobs})


def _job_for(request: HttpRequest, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("site"), pk=pk)
    if job.requested_by_id != request.user.pk and not is_hr(request.user):
        raise Http404("No such export.")
    return job


@hr_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "compliance/export_detail.html", {"job": _job_for(request, pk)}
    )


@hr_required
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_for(request, pk)
    done = job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    return JsonResponse(
        {
            "percent": job.percent,
            "label": job.label or job.get_status_display(),
            "done": done,
            "redirect": reverse("compliance:export_detail", args=[job.pk])
            if done
            else "",
        }
    )


@hr_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("This export is not ready.")
    storage = storages["private"]
    if not storage.exists(job.file):
        raise Http404("This export file is gone; start a new export.")
    audit_access(
        actor=request.user,
        obj_or_model=job,
        what=f"Downloaded the training files ZIP of {job.site} as of {job.as_of}",
    )
    return FileResponse(
        storage.open(job.file, "rb"),
        as_attachment=True,
        filename=job.file.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


def _bulk_message(*, action: str, result: services.BulkResult, form: BulkForm) -> str:
    done = len(result.done)
    people = f"{done} {'person' if done == 1 else 'people'}"
    if action == services.BulkAction.REMIND:
        text = f"Reminder emailed to {people}."
    elif action == services.BulkAction.ASSIGN:
        text = f"Assigned “{form.cleaned_data['course'].title}” to {people}."
    else:
        text = f"Booked {people} into “{form.cleaned_data['session'].title}”."
    if result.skipped:
        why = "; ".join(f"{name}: {reason}" for name, reason in result.skipped)
        text += f" {len(result.skipped)} left as they were ({why})."
    if result.ignored:
        text += (
            f" {result.ignored} not on your teams today "
            f"{'was' if result.ignored == 1 else 'were'} ignored."
        )
    return text


@supervisor_or_hr_required
def matrix_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Act on the people checked in the team matrix: the matrix posts the ids and
    the action here, this page asks what it needs (a course, a class) and
    confirms; the confirmed POST acts on each of the viewer's people."""
    today = agency_today()
    ids = posted_ids(request.POST.getlist("staff")) if request.method == "POST" else []
    people, ignored = services.bulk_people(user=request.user, staff_ids=ids)
    confirmed = request.method == "POST" and "confirm" in request.POST
    form = BulkForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={"action": services.BulkAction.REMIND},
    )
    if confirmed and people and form.is_valid():
        action = form.cleaned_data["action"]
        result = services.matrix_bulk_act(
            user=request.user,
            staff_ids=ids,
            action=action,
            course=form.cleaned_data.get("course"),
            due_on=form.cleaned_data.get("due_on"),
            session=form.cleaned_data.get("session"),
        )
        level = messages.success if result.done else messages.warning
        level(request, _bulk_message(action=action, result=result, form=form))
        return redirect("compliance:matrix")
    action = str(form.data.get("action") or "") if form.is_bound else "remind"
    return render(
        request,
        "compliance/matrix_bulk.html",
        {
            "form": form,
            "people": people,
            "ignored": ignored,
            "action": action,
            "show_errors": confirmed,
            "action_label": dict(services.BulkAction.CHOICES).get(action, ""),
        },
    )
