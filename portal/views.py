"""Pages for accounts and the organization: home, staff directory, invitations."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.choosers import (
    ExternalLinkChooserForm,
    URLOrAbsolutePathField,
)
from wagtail.admin.views import chooser as wagtail_chooser
from wagtail.contrib.redirects import views as wagtail_redirects

from . import bulk, health, importer, queue, services
from .audit import audit_access
from .cache import cache_reachable
from .csvfiles import csv_lines, csv_response
from .dates import agency_today
from .filters import StaffFilter
from .forms import (
    AccessChangeForm,
    ImportUploadForm,
    SetPasswordForm,
    StaffCreateForm,
    StaffUpdateForm,
    errors_to_form,
    errors_to_messages,
)
from .models import AccessChange, BulkJob, StaffProfile
from .permissions import (
    any_user,
    hr_required,
    public,
    supervisor_or_hr_required,
    visible_staff_or_404,
)
from .registry import home_panels_for, person_panels_for
from .roles import Role, is_hr, primary_role
from .selectors import (
    own_staff_profile,
    sign_in_methods,
    teams_supervised_by,
    user_email_pending,
)
from .types import AuthenticatedHttpRequest
from .validators import parse_id

# Said when the mail queue is down: the action stands, the email follows.
INVITATION_WILL_FOLLOW = (
    "{name} was saved. The mail queue is not reachable right now, so the "
    "invitation to {email} will follow automatically within a few minutes of "
    "it coming back; nothing else to do."
)


@any_user
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the user's main role; apps add their panels to it."""
    staff = own_staff_profile(request.user)
    context = {
        "staff": staff,
        "role": primary_role(request.user),
        "supervised_teams": list(teams_supervised_by(user=request.user)),
        "panels": home_panels_for(request, staff=staff),
    }
    return render(request, "portal/home.html", context)


@supervisor_or_hr_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """The staff directory: the people the user may see, filtered (StaffFilter)."""
    filterset = StaffFilter(request.GET or None, request=request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff_list.html",
        {"form": filterset.form, "page": page},
    )


@any_user
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's page; 404 for anyone who may not see them."""
    staff = visible_staff_or_404(request.user, pk)
    hr = is_hr(request.user)
    invitation = staff.user.invitations.first() if hr else None
    return render(
        request,
        "portal/staff_detail.html",
        {
            "staff": staff,
            "invitation": invitation,
            "email_pending": user_email_pending(user=staff.user) if hr else None,
            "panels": person_panels_for(request, staff=staff),
            "access_form": AccessChangeForm() if hr else None,
            "sign_in": sign_in_methods(user=staff.user) if hr else None,
            "access_changes": (
                AccessChange.objects.filter(user=staff.user).select_related("by")[:10]
                if hr
                else None
            ),
            "deactivation": (
                AccessChange.objects.filter(
                    user=staff.user, action=AccessChange.Action.DEACTIVATED
                ).first()
                if staff.is_deactivated
                else None
            ),
        },
    )


@require_POST
@hr_required
def staff_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HR deactivates or reactivates a person's account, with a logged reason."""
    staff = get_object_or_404(StaffProfile.objects.select_related("user"), pk=pk)
    form = AccessChangeForm(request.POST)
    if form.is_valid():
        change = (
            services.user_reactivate
            if form.cleaned_data["action"] == "reactivate"
            else services.user_deactivate
        )
        try:
            change(user=staff.user, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_messages(request, exc)
        else:
            done = (
                "reactivated; they can log in again"
                if form.cleaned_data["action"] == "reactivate"
                else "deactivated; every session of theirs has ended"
            )
            messages.success(request, f"{staff.full_name}'s account was {done}.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
    return redirect("staff_detail", pk=staff.pk)


@require_POST
@hr_required
def staff_sso_unlink(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HR unlinks a person's single sign-on identity, with a logged reason."""
    staff = get_object_or_404(StaffProfile.objects.select_related("user"), pk=pk)
    try:
        services.user_sso_unlink(
            user=staff.user, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(
            request,
            f"{staff.full_name}'s single sign-on identity was unlinked; their next "
            "sign-in is matched by their verified email again.",
        )
    return redirect("staff_detail", pk=staff.pk)


@hr_required
def staff_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with queue.watch() as unqueued:
                staff = services.staff_create(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    employee_id=data["employee_id"],
                    job_role=data["job_role"],
                    team=data["team"],
                    hire_date=data["hire_date"],
                    roles={Role(r) for r in data["roles"]},
                    created_by=request.user,
                )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if unqueued:
                messages.warning(
                    request,
                    INVITATION_WILL_FOLLOW.format(
                        name=staff.full_name, email=staff.user.email
                    ),
                )
            else:
                messages.success(
                    request,
                    f"{staff.full_name} was added; an invitation is on its way to "
                    f"{staff.user.email}.",
                )
            return redirect("staff_detail", pk=staff.pk)
    return render(request, "portal/staff_form.html", {"form": form, "adding": True})


@hr_required
def staff_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(StaffProfile.objects.select_related("user"), pk=pk)
    form = StaffUpdateForm(request.POST or None, instance=staff)
    if request.method == "POST" and form.is_valid():
        services.staff_update(
            staff=StaffProfile.objects.get(pk=staff.pk),
            by=request.user,
            **form.cleaned_data,
        )
        messages.success(request, f"{staff.full_name}'s record was saved.")
        return redirect("staff_detail", pk=staff.pk)
    return render(request, "portal/staff_form.html", {"form": form, "staff": staff})


@require_POST
@hr_required
def staff_reinvite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(StaffProfile.objects.select_related("user"), pk=pk)
    try:
        with queue.watch() as unqueued:
            services.invitation_create(user=staff.user, created_by=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect("staff_detail", pk=staff.pk)
    if unqueued:
        messages.warning(
            request,
            INVITATION_WILL_FOLLOW.format(name=staff.full_name, email=staff.user.email),
        )
    else:
        messages.success(request, f"A new invitation was sent to {staff.user.email}.")
    return redirect("staff_detail", pk=staff.pk)


@public
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the invitation email: choose a password, then log in with it."""
    try:
        invitation = services.invitation_from_token(token=token)
    except services.InvitationError as exc:
        return render(
            request, "portal/invitation_invalid.html", {"reason": str(exc)}, status=410
        )
    form = SetPasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token, password=form.cleaned_data["password1"]
            )
        except services.InvitationError as exc:
            return render(
                request,
                "portal/invitation_invalid.html",
                {"reason": str(exc)},
                status=410,
            )
        # One front door: the first sign-in goes through the allauth login too.
        messages.success(
            request, "Your password is set. Log in with your email and new password."
        )
        return redirect("account_login")
    return render(
        request,
        "portal/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )


@public
def cms_login(request: HttpRequest) -> HttpResponse:
    """Where the CMS sends people it will not admit: the login page for visitors,
    a plain "not allowed" page for people logged in without the right."""
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect("wagtailadmin_home")
    if request.user.is_authenticated:
        return permission_denied(
            request,
            "The CMS is for content authors, HR and administrators. Ask HR if you "
            "need to edit training content.",
        )
    query = request.GET.urlencode()
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


@public
def front_door(request: HttpRequest) -> HttpResponse:
    """Django's admin login and Wagtail's front-end login: everyone signs in through
    the allauth login, where two-factor authentication and the limits apply."""
    if request.user.is_authenticated:
        if request.path.startswith("/django-admin/") and request.user.is_superuser:
            return redirect("admin:index")
        return permission_denied(
            request,
            "You are logged in, and this page is not for your role. Go back to the "
            "home page, or ask HR if you need more access.",
        )
    url = reverse("account_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


@public
def no_such_page(request: HttpRequest, **kwargs) -> HttpResponse:
    """Closed side doors (page passwords, the admin's password forms)."""
    raise Http404("There is no such page.")


class _URLOrAbsolutePathField(URLOrAbsolutePathField):
    def to_python(self, value):
        return super().to_python(value or "")


class _ExternalLinkChooserForm(ExternalLinkChooserForm):
    """Wagtail's form, whose URL field fails on a post without it (a 500): here
    a missing URL is "This field is required." like any other."""

    url = _URLOrAbsolutePathField(required=True, label="URL")


# The CMS's "External link" tab in the link chooser (shadows Wagtail's own address
# in portal.urls; Wagtail's admin permission decides who may use it).
cms_choose_external_link = require_admin_access(
    wagtail_chooser.ExternalLinkView.as_view(form_class=_ExternalLinkChooserForm)
)


@require_admin_access
def cms_redirects_import_process(request: HttpRequest) -> HttpResponse:
    """Step two of Wagtail's redirect import (its own permission check follows),
    which answers a server error to a post without step one's signed fields."""
    if not all(request.POST.get(f) for f in ("import_file_name", "input_format")):
        return HttpResponseBadRequest("Start the import again from its first step.")
    return wagtail_redirects.process_import(request)


@require_POST
@any_user
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": the request itself resets the idle clock."""
    return JsonResponse({"idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60})


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, queue and worker health, for load balancers and monitoring.

    Public, so it names no host, URL or transport: only what is up. The cache is
    reported but never fails the check: without it pages are slower and logins
    pause, and taking every web process out of a load balancer would be worse.
    """
    db_ok, db_detail = health.database_status()
    queue_ok, queue_detail = health.broker_status()
    worker_ok, last_beat = health.worker_status() if db_ok else (False, None)
    if not (db_ok and queue_ok):
        status = "unavailable"
    elif not worker_ok:
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {
            "status": status,
            "database": db_detail,
            "queue": queue_detail,
            "worker": "ok" if worker_ok else ("stale" if last_beat else "not seen"),
            "last_worker_heartbeat": last_beat,
            "cache": "ok" if cache_reachable() else "unreachable",
        },
        status=200 if status == "ok" else 503,
    )


@hr_required
def sent_mail(request: HttpRequest) -> HttpResponse:
    """In the embedded default (debug), the emails the portal wrote to var/mail/."""
    if not settings.DEBUG or not settings.EMAIL_BACKEND.endswith(
        "filebased.EmailBackend"
    ):
        raise Http404("Sent mail is shown only in debug with the file backend.")
    # One-time links (password reset, invitation) would let HR take over an
    # account: only a superuser sees messages whole.
    full = request.user.is_superuser
    folder = Path(settings.EMAIL_FILE_PATH)
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    mails = []
    for path in files[:200]:
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            msg = message_from_bytes(raw.strip(), policy=policy.default)
            body = msg.get_body(preferencelist=("plain",))
            text = body.get_content() if body else ""
            mails.append(
                {
                    "subject": msg["subject"],
                    "to": msg["to"],
                    "date": msg["date"],
                    "body": text if full else redact_one_time_links(text),
                }
            )
    page = Paginator(mails, 20).get_page(request.GET.get("page"))
    return render(
        request, "portal/sent_mail.html", {"page": page, "redacted": not full}
    )


# Links that act as a key: whoever holds one can take over an account or read a
# person's calendar. Only their recipient (and a superuser, here) may see them.
ONE_TIME_URL_NAMES = {
    "invitation_accept",
    "account_reset_password_from_key",
    "credential_calendar",
}
REDACTED_LINK = "[one-time link hidden: only its recipient may use it]"
_URL = re.compile(r"https?://[^\s<>\"']+|(?<![\w/])/[^\s<>\"']+")


def redact_one_time_links(text: str) -> str:
    """``text`` with every password-reset, invitation or calendar link replaced."""

    def hide(match: re.Match) -> str:
        url = match.group(0)
        path = urlsplit(url).path if "://" in url else url
        try:
            name = resolve(path).url_name
        except Resolver404:
            name = None
        if name in ONE_TIME_URL_NAMES or "/password/reset/key/" in path:
            return REDACTED_LINK
        return url

    return _URL.sub(hide, text)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(
        request,
        "403.html",
        {"reason": str(exception) if exception else ""},
        status=403,
    )


# The import keeps its signing salt so a preview made before the move still applies.
IMPORT_SALT = "milieu.compliance.import"


@hr_required
def staff_import_sample(request: HttpRequest) -> StreamingHttpResponse:
    """A small CSV in the importer's columns, to fill in or to try the import."""
    rows = importer.sample_rows(today=agency_today())
    return csv_response(csv_lines(rows), "staff-import-sample.csv")


@any_user
def email_confirm(request: HttpRequest, key: str) -> HttpResponse:
    """allauth's confirmation of a new login email, behind the login: the link
    alone (whoever reads the new mailbox) does not change the account's login."""
    return allauth_views.confirm_email(request, key=key)


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
            return redirect("staff_import")
        with queue.watch() as unqueued:
            job = importer.import_start(
                text=text,
                by=request.user,
                email_changes=request.POST.getlist("email_change"),
            )
        audit_access(
            actor=request.user,
            obj_or_model=StaffProfile,
            what=f"Started a staff import from CSV ({job.title}, job {job.pk})",
        )
        if unqueued:
            messages.warning(
                request,
                "Your import is saved. The background queue is not reachable right "
                "now, so it will start automatically within a few minutes of it "
                "coming back; this page shows its progress.",
            )
        return redirect("bulk_job_detail", pk=job.pk)
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
    counts: dict[str, int] = {}
    for plan in plans or []:
        counts[plan.action] = counts.get(plan.action, 0) + 1
    return render(
        request,
        "portal/staff_import.html",
        {
            "form": upload,
            "plans": plans,
            "payload": payload,
            "counts": counts,
            "email_changes": [p for p in plans or [] if p.email_change],
            "jobs": bulk.jobs_of(kind=importer.IMPORT_KIND)[:5],
        },
    )


def _bulk_job_for(request: HttpRequest, pk: int) -> BulkJob:
    """The job, for the person who started it and for HR; no one else learns that
    it exists."""
    if parse_id(pk) is None:  # beyond what the database can hold
        raise Http404("No such job.")
    job = get_object_or_404(BulkJob, pk=pk)
    if job.requested_by_id != request.user.pk and not is_hr(request.user):
        raise Http404("No such job.")
    return job


@hr_required
def bulk_job_list(request: HttpRequest) -> HttpResponse:
    """Every recent background job (imports, assignments, retrainings): HR finds
    here a retraining a substantive change started in the CMS."""
    jobs = BulkJob.objects.select_related("requested_by")[:50]
    return render(request, "portal/bulk_job_list.html", {"jobs": jobs})


@any_user
def bulk_job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A bulk job's progress while it runs; its result and refused rows after."""
    job = _bulk_job_for(request, pk)
    kind = bulk.kind_of(job)
    return render(
        request,
        "portal/bulk_job.html",
        {
            "job": job,
            "summary": kind.summary(job) if job.status == BulkJob.Status.DONE else "",
            "back_url": kind.back_url(job),
        },
    )


@any_user
def bulk_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _bulk_job_for(request, pk)
    done = job.status in (BulkJob.Status.DONE, BulkJob.Status.FAILED)
    return JsonResponse(
        {
            "percent": job.percent,
            "label": f"{job.done} of {job.total} rows"
            if job.status == BulkJob.Status.RUNNING
            else job.get_status_display(),
            "done": done,
            "redirect": reverse("bulk_job_detail", args=[job.pk]) if done else "",
        }
    )


@any_user
@require_POST
def bulk_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a stopped job again from the first row it did not save."""
    job = _bulk_job_for(request, pk)
    with queue.watch() as unqueued:
        retried = bulk.bulk_job_retry(job=job)
    if not retried:
        messages.info(request, "This job is not stopped; nothing to retry.")
    elif unqueued:
        messages.warning(
            request,
            "The background queue is not reachable right now; the job will go on "
            "automatically within a few minutes of it coming back.",
        )
    return redirect("bulk_job_detail", pk=job.pk)
