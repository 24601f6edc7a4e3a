"""Pages of the compliance app: team matrix, sign-offs, dashboard, exports, import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
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
from django.views.decorators.http import require_POST

from portal import queue
from portal.audit import audit_access
from portal.dates import agency_today
from portal.models import StaffProfile
from portal.permissions import any_user, hr_required, supervisor_or_hr_required
from portal.roles import is_hr
from portal.selectors import staff_visible_to, teams_visible_to
from portal.types import AuthenticatedHttpRequest
from portal.validators import parse_id

from . import exports, importer, selectors, services
from .forms import (
    AsOfForm,
    DashboardForm,
    ImportUploadForm,
    MatrixFilterForm,
    SignOffForm,
    SiteExportForm,
)
from .models import ExportJob, SkillChecklist, SkillSignOff
from .rollup import VERDICT_FILTERS

if TYPE_CHECKING:
    from django.core.paginator import Page

IMPORT_SALT = "milieu.compliance.import"


def _visible_staff_or_404(request: HttpRequest, pk: int) -> StaffProfile:
    return get_object_or_404(staff_visible_to(user=request.user), pk=pk)


def _filters(request: HttpRequest) -> tuple[MatrixFilterForm, selectors.MatrixFilters]:
    form = MatrixFilterForm(
        request.GET or None, teams=teams_visible_to(user=request.user)
    )
    # A filter that is not understood shows its error on the form; the others
    # still apply (cleaned_data keeps the valid fields).
    data = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    filters = selectors.MatrixFilters(
        q=data.get("q") or "",
        team_id=data["team"].pk if data.get("team") else None,
        site_id=data["site"].pk if data.get("site") else None,
        program_id=data["program"].pk if data.get("program") else None,
        job_role_id=data["job_role"].pk if data.get("job_role") else None,
        verdict=data.get("verdict") or "",
        sort=data.get("sort") or "name",
        as_of=data.get("as_of"),
    )
    return form, filters


@supervisor_or_hr_required
def matrix(request: HttpRequest) -> HttpResponse:
    """The supervisor's team matrix: people × requirements, as of a date."""
    form, filters = _filters(request)
    as_of = filters.as_of or agency_today()
    data = selectors.matrix_page(
        user=request.user,
        filters=filters,
        as_of=as_of,
        page_number=request.GET.get("page"),
        per_page=(form.cleaned_data.get("per_page") if form.is_bound else None)
        or selectors.PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compliance/matrix.html",
        {
            **data,
            "form": form,
            "as_of": as_of,
            "is_today": as_of == agency_today(),
            "querystring": query.urlencode(),
            "verdict_label": VERDICT_FILTERS.get(filters.verdict, ("",))[0],
            "active_filters": sum(
                1
                for name in ("q", "team", "site", "program", "job_role", "verdict")
                if request.GET.get(name)
            )
            + bool(filters.as_of),
        },
    )


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@supervisor_or_hr_required
def matrix_export(request: HttpRequest) -> StreamingHttpResponse:
    """The matrix for the current filters as CSV, one row per person and requirement."""
    _form, filters = _filters(request)
    as_of = filters.as_of or agency_today()
    qs = selectors.matrix_queryset(user=request.user, filters=filters, as_of=as_of)
    verdict = VERDICT_FILTERS.get(filters.verdict)
    audit_access(
        actor=request.user,
        obj_or_model=StaffProfile,
        what=f"Exported the team matrix CSV as of {as_of} ({request.GET.urlencode()})",
    )
    rows = exports.matrix_rows(qs, as_of=as_of, keep=verdict[1] if verdict else None)
    return _csv_response(exports.csv_lines(rows), f"team-matrix-{as_of}.csv")


@supervisor_or_hr_required
def credentials_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every credential requirement of the filtered people, with status, as CSV."""
    _form, filters = _filters(request)
    as_of = filters.as_of or agency_today()
    qs = selectors.matrix_queryset(user=request.user, filters=filters, as_of=as_of)
    verdict = VERDICT_FILTERS.get(filters.verdict)
    audit_access(
        actor=request.user,
        obj_or_model=StaffProfile,
        what=f"Exported the credentials CSV as of {as_of} ({request.GET.urlencode()})",
    )
    rows = exports.matrix_rows(
        qs,
        as_of=as_of,
        keep=verdict[1] if verdict else None,
        kinds={"credential"},
    )
    return _csv_response(exports.csv_lines(rows), f"credentials-{as_of}.csv")


@any_user
def training_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's training file as a PDF, requirements as of a chosen date."""
    staff = _visible_staff_or_404(request, pk)
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
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.training_file_name(staff, as_of)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@supervisor_or_hr_required
def signoff_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Sign off an observed skill for one person (their supervisor or HR)."""
    staff = _visible_staff_or_404(request, pk)
    problem = services.signoff_permission_error(signer=request.user, staff=staff)
    if problem:
        raise PermissionDenied(problem)
    corrects = None
    corrects_id = request.GET.get("corrects") or request.POST.get("corrects")
    if corrects_id:
        if parse_id(corrects_id) is None:
            raise Http404("No such sign-off.")
        corrects = get_object_or_404(
            SkillSignOff.objects.select_related("checklist"),
            pk=corrects_id,
            staff=staff,
        )
        checklist = corrects.checklist
    else:
        checklist_id = request.GET.get("checklist") or request.POST.get("checklist")
        if parse_id(checklist_id) is None:
            return render(
                request,
                "compliance/signoff_choose.html",
                {
                    "staff": staff,
                    "checklists": selectors.checklists_for_signoff(staff=staff),
                },
            )
        checklist = get_object_or_404(SkillChecklist, pk=checklist_id)
    form = SignOffForm(request.POST or None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            signoff = services.signoff_create(
                staff=staff,
                checklist=checklist,
                observed_on=form.cleaned_data["observed_on"],
                signed_by=request.user,
                signature_name=form.cleaned_data["signature_name"],
                results=form.results(),
                notes=form.cleaned_data["notes"],
                corrects=corrects,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            if signoff.met:
                messages.success(
                    request, f"{checklist} is signed off for {staff.full_name}."
                )
            else:
                messages.warning(
                    request,
                    f"Saved. {checklist} is not met yet for {staff.full_name}: "
                    "some items need practice.",
                )
            return redirect("staff_detail", pk=staff.pk)
    return render(
        request,
        "compliance/signoff_form.html",
        {
            "staff": staff,
            "checklist": checklist,
            "form": form,
            "corrects": corrects,
            "signer_problem": services.signer_credential_error(
                signer=request.user, checklist=checklist, on=agency_today()
            ),
        },
    )


@any_user
def signoff_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signoff = get_object_or_404(
        SkillSignOff.objects.select_related(
            "staff", "staff__user", "checklist", "signed_by", "corrects"
        ),
        pk=pk,
    )
    if not staff_visible_to(user=request.user).filter(pk=signoff.staff_id).exists():
        raise Http404("No such sign-off.")
    corrected_by = SkillSignOff.objects.filter(corrects=signoff).first()
    can_correct = (
        services.signoff_permission_error(signer=request.user, staff=signoff.staff)
        is None
        and corrected_by is None
    )
    return render(
        request,
        "compliance/signoff_detail.html",
        {
            "signoff": signoff,
            "items": signoff.items.all(),
            "corrected_by": corrected_by,
            "can_correct": can_correct,
        },
    )


@require_POST
@supervisor_or_hr_required
def remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Email a person the list of what is missing or expiring."""
    staff = _visible_staff_or_404(request, pk)
    if staff.user_id == request.user.pk:
        raise PermissionDenied("Reminders go to the people you supervise.")
    try:
        count = services.reminder_send(staff=staff, by=request.user)
    except services.ReminderTooSoon as error:
        messages.warning(request, error.messages[0])
        return redirect("staff_detail", pk=staff.pk)
    if count:
        messages.success(
            request,
            f"{staff.full_name} was emailed a list of {count} "
            f"item{pluralize(count)} needing attention.",
        )
    else:
        messages.info(request, f"{staff.full_name} is current on everything.")
    return redirect("staff_detail", pk=staff.pk)


RENEWAL_BANDS = (
    (30, "Within 30 days"),
    (60, "In 31 to 60 days"),
    (90, "In 61 to 90 days"),
)
DASHBOARD_PAGE_SIZE = 15


def _band(days: int) -> int:
    return next(limit for limit, _label in RENEWAL_BANDS if days <= limit)


def _dashboard_data(request: HttpRequest) -> tuple[DashboardForm, dict]:
    form = DashboardForm(request.GET or None)
    valid = form.is_valid()
    as_of = (form.cleaned_data.get("as_of") if valid else None) or agency_today()
    within = (form.cleaned_data.get("within") if valid else None) or 90
    return form, selectors.dashboard_data(as_of=as_of, renew_within=within)


def _page_of(request: HttpRequest, rows: list, param: str) -> tuple[Page, str]:
    """One page of ``rows`` and the query string that keeps the other parameters."""
    page = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    return page, others.urlencode()


@hr_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """HR's compliance dashboard across the agency."""
    form, data = _dashboard_data(request)
    renewals, renewals_qs = _page_of(request, data["renewal_rows"], "renewals_page")
    overdue, overdue_qs = _page_of(request, data["overdue_rows"], "overdue_page")
    counts = {limit: 0 for limit, _label in RENEWAL_BANDS}
    for row in data["renewal_rows"]:
        counts[_band(row[4])] += 1
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
            "renewals_qs": renewals_qs,
            "renewal_groups": groups,
            "renewal_bands": bands,
            "overdue_page": overdue,
            "overdue_qs": overdue_qs,
            "csv_qs": request.GET.urlencode(),
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


@hr_required
def staff_import_sample(request: HttpRequest) -> StreamingHttpResponse:
    """A small CSV in the importer's columns, to fill in or to try the import."""
    rows = importer.sample_rows(today=agency_today())
    return _csv_response(exports.csv_lines(rows), "staff-import-sample.csv")


@hr_required
def staff_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV, see the dry run row by row, then confirm to apply it."""
    upload = ImportUploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        try:
            text = signing.loads(
                request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=3600
            )
        except signing.BadSignature:
            messages.error(
                request, "The preview expired or was altered; upload the file again."
            )
            return redirect("compliance:staff_import")
        try:
            with queue.watch() as unqueued:
                counts = importer.import_apply(text=text, by=request.user)
        except importer.ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("compliance:staff_import")
        audit_access(
            actor=request.user,
            obj_or_model=StaffProfile,
            what=f"Imported staff from CSV: {counts}",
        )
        messages.success(
            request,
            f"Import done: {counts['create']} created and invited, "
            f"{counts['change']} changed, {counts['unchanged']} unchanged, "
            f"{counts['reject']} rejected.",
        )
        if unqueued:
            messages.warning(
                request,
                "The mail queue is not reachable right now: the invitations will "
                "follow automatically within a few minutes of it coming back.",
            )
        return redirect("compliance:staff_import")
    plans = None
    payload = ""
    if request.method == "POST":
        upload = ImportUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            raw = upload.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            try:
                plans = importer.import_plan(text=text)
            except importer.ImportFileError as exc:
                upload.add_error("file", str(exc))
            except Exception:  # noqa: BLE001 - any unreadable CSV is the user's file
                upload.add_error("file", "This file could not be read as CSV.")
            else:
                payload = signing.dumps(text, salt=IMPORT_SALT, compress=True)
    counts = {}
    for plan in plans or []:
        counts[plan.action] = counts.get(plan.action, 0) + 1
    return render(
        request,
        "compliance/staff_import.html",
        {"form": upload, "plans": plans, "payload": payload, "counts": counts},
    )
