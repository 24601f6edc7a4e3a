"""Pages for credentials: my credentials, add and renew, a credential's page, the
HR verification queue, documents, notifications, the calendar feed and the manual
reminder a supervisor sends."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.audit import audit_access
from portal.dates import agency_today
from portal.forms import errors_to_form, errors_to_messages
from portal.models import StaffProfile
from portal.permissions import (
    any_user,
    hr_required,
    may_edit_credentials,
    may_remind,
    may_see_person,
    may_verify_credential,
    public,
    supervisor_or_hr_required,
    user_has_access,
    visible_staff_or_404,
)
from portal.requirements import person_of
from portal.roles import is_hr
from portal.selectors import own_staff_profile
from portal.types import AuthenticatedHttpRequest
from portal.validators import parse_id

from . import selectors, services
from .forms import CredentialForm, DocumentForm, RejectForm, VerifyForm, initial_from
from .models import CalendarFeed, Credential, CredentialDocument, CredentialType
from .status import status_of

logger = logging.getLogger(__name__)


def _own_staff(request: HttpRequest) -> StaffProfile | None:
    # Read once per request (the leaver check already did), with team and job role.
    return own_staff_profile(request.user)


def _visible_credential_or_404(request: HttpRequest, pk: int) -> Credential:
    credential = get_object_or_404(
        Credential.objects.select_related("credential_type", "staff__user"), pk=pk
    )
    if not may_see_person(user=request.user, staff=credential.staff):
        raise Http404("No such credential.")
    return credential


def credential_overview(*, staff: StaffProfile, today: dt.date) -> dict:
    """What a person's credential page shows: requirements with status, records."""
    records = list(selectors.credentials_for(staff=staff))
    for cred in records:
        cred.status = status_of(cred, today=today)  # type: ignore[attr-defined]
    live = [c for c in records if c.is_live]
    # Returned by HR and not yet answered by a newer record of the same type.
    returned = [c for c in records if c.is_returned and not c.superseded_by_id]
    history = [c for c in records if c not in live and c not in returned]
    requirements = list(
        selectors.requirement_statuses(
            staff_ids=[staff.pk], as_of=today, people=[person_of(staff)]
        )
    )
    return {
        "requirements": requirements,
        "live": live,
        "returned": returned,
        "history": history,
    }


@any_user
def my_credentials(request: AuthenticatedHttpRequest) -> HttpResponse:
    staff = _own_staff(request)
    context: dict[str, Any] = {"staff": staff}
    if staff is not None:
        context.update(credential_overview(staff=staff, today=agency_today()))
        feed = services.calendar_feed_for(user=request.user)
        context["feed_url"] = request.build_absolute_uri(
            reverse("credential_calendar", args=[feed.token])
        )
    return render(request, "credentials/my_credentials.html", context)


def _save_credential(request, form, *, staff, fixed_type=None):
    data = form.cleaned_data
    ctype = fixed_type or data["credential_type"]
    try:
        credential = services.credential_create(
            staff=staff,
            credential_type=ctype,
            by=request.user,
            number=data.get("number") or "",
            issuing_body=data.get("issuing_body") or "",
            state=data.get("state") or "",
            issued_on=data.get("issued_on"),
            expires_on=data.get("expires_on"),
            documents=data.get("documents") or [],
        )
    except ValidationError as exc:
        errors_to_form(form, exc, field="documents")
        return None
    return credential


@any_user
def credential_add(request: HttpRequest) -> HttpResponse:
    """Add a credential: your own, or (HR) someone's with ?staff=<id>."""
    staff_id = request.GET.get("staff") or request.POST.get("staff")
    if staff_id:
        if parse_id(staff_id) is None:
            raise Http404("No such person.")
        staff = visible_staff_or_404(request.user, parse_id(staff_id) or 0)
        if not may_edit_credentials(user=request.user, staff=staff):
            raise Http404("No such person.")
    else:
        own = _own_staff(request)
        if own is None:
            messages.error(request, "You have no staff record; HR adds one.")
            return redirect("my_credentials")
        staff = own
    initial = {}
    type_id = request.GET.get("type")
    if parse_id(type_id):
        initial["credential_type"] = parse_id(type_id)
    form = CredentialForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        by_hr=is_hr(request.user),
    )
    if request.method == "POST" and form.is_valid():
        credential = _save_credential(request, form, staff=staff)
        if credential is not None:
            messages.success(
                request,
                f"{credential.credential_type.name} saved; HR will verify it.",
            )
            return redirect("credential_detail", pk=credential.pk)
    return render(
        request,
        "credentials/credential_form.html",
        {"form": form, "staff": staff, "renewing": None, "types": _type_hints()},
    )


def _type_hints():
    return list(CredentialType.objects.filter(active=True))


@any_user
def credential_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Renew: a new record of the same type that supersedes this one."""
    old = _visible_credential_or_404(request, pk)
    if not may_edit_credentials(user=request.user, staff=old.staff):
        raise Http404("No such credential.")
    form = CredentialForm(
        request.POST or None,
        request.FILES or None,
        initial=initial_from(old),
        fixed_type=old.credential_type,
    )
    if request.method == "POST" and form.is_valid():
        credential = _save_credential(
            request, form, staff=old.staff, fixed_type=old.credential_type
        )
        if credential is not None:
            messages.success(
                request,
                f"Your renewed {credential.credential_type.name} is saved; HR will "
                "verify it. Reminders about the old one have stopped.",
            )
            return redirect("credential_detail", pk=credential.pk)
    return render(
        request,
        "credentials/credential_form.html",
        {"form": form, "staff": old.staff, "renewing": old, "types": _type_hints()},
    )


@any_user
def credential_resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a credential HR returned (its fields, more documents) and send it
    back to the verification queue."""
    credential = _visible_credential_or_404(request, pk)
    if not may_edit_credentials(user=request.user, staff=credential.staff):
        raise Http404("No such credential.")
    if not credential.is_returned or credential.superseded_by_id:
        messages.error(request, "Only a credential HR returned can be resubmitted.")
        return redirect("credential_detail", pk=pk)
    initial = initial_from(credential)
    initial.update(issued_on=credential.issued_on, expires_on=credential.expires_on)
    form = CredentialForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        fixed_type=credential.credential_type,
    )
    form.fields["documents"].label = "Add documents (scan or photo)"
    form.fields[
        "documents"
    ].help_text = (
        "The documents already on file stay. PDF, JPEG or PNG, up to 10 MB each."
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.credential_resubmit(
                credential=credential,
                by=request.user,
                number=data.get("number") or "",
                issuing_body=data.get("issuing_body") or "",
                state=data.get("state") or "",
                issued_on=data.get("issued_on"),
                expires_on=data.get("expires_on"),
                documents=data.get("documents") or [],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                f"Your corrected {credential.credential_type.name} is back with HR "
                "for verification.",
            )
            return redirect("credential_detail", pk=pk)
    return render(
        request,
        "credentials/credential_form.html",
        {
            "form": form,
            "staff": credential.staff,
            "renewing": None,
            "resubmitting": credential,
            "types": [],
        },
    )


@any_user
def credential_detail(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _visible_credential_or_404(request, pk)
    credential = selectors.credentials_for(staff=credential.staff).get(pk=credential.pk)
    credential.status = status_of(credential, today=agency_today())  # type: ignore[attr-defined]
    chain: list[Credential] = []
    prev = credential.supersedes
    while prev is not None and len(chain) < 50:
        chain.append(prev)
        prev = prev.supersedes
    context = {
        "credential": credential,
        "staff": credential.staff,
        "chain": chain,
        "may_edit": may_edit_credentials(user=request.user, staff=credential.staff),
        "document_form": DocumentForm(),
        "decisions": credential.decisions.select_related("by"),
        "audit": _audit_entries(credential) if is_hr(request.user) else None,
    }
    return render(request, "credentials/credential_detail.html", context)


def _audit_entries(credential: Credential):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    doc_ids = [str(d.pk) for d in credential.documents.all()]
    return (
        (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Credential),
                object_pk=str(credential.pk),
            )
            | LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(CredentialDocument),
                object_pk__in=doc_ids,
            )
        )
        .select_related("actor")
        .order_by("-timestamp")[:50]
    )


@require_POST
@any_user
def credential_document_upload(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    credential = _visible_credential_or_404(request, pk)
    if not may_edit_credentials(user=request.user, staff=credential.staff):
        raise Http404("No such credential.")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(
            request, " ".join(map(str, errors)) or "Choose a file to upload."
        )
        return redirect("credential_detail", pk=pk)
    try:
        services.credential_document_add(
            credential=credential, upload=form.cleaned_data["document"], by=request.user
        )
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, "The document was added.")
    return redirect("credential_detail", pk=pk)


@public  # no login redirect: anyone who may not see the owner, anonymous too, gets 404
@never_cache
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """A document, only for those who may see its owner (404 for anyone else)."""
    document = get_object_or_404(
        CredentialDocument.objects.select_related("credential__staff"), pk=pk
    )
    if not may_see_person(user=request.user, staff=document.credential.staff):
        raise Http404("No such document.")
    inline = request.GET.get("inline") == "1"
    try:
        handle = services.document_open(document=document)
    except FileNotFoundError:
        # A row whose file was lost (a restore without the files folder).
        logger.warning("document %s: its file %s is missing", pk, document.file)
        raise Http404(
            "This document's file is missing. Upload the document again."
        ) from None
    audit_access(
        obj_or_model=document,
        actor=request.user,
        what=f"{'viewed' if inline else 'downloaded'} {document.original_name}",
    )
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:  # shown in the credential page's own preview frame
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@hr_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    qs = selectors.verification_queue()
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "credentials/verification_queue.html",
        {"page": page, "total": page.paginator.count},
    )


@hr_required
def credential_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One pending credential: its document beside its fields; verify or reject."""
    credential = get_object_or_404(selectors.credentials_for_review(), pk=pk)
    credential.status = status_of(credential, today=agency_today())  # type: ignore[attr-defined]
    if not may_verify_credential(user=request.user, staff=credential.staff):
        messages.info(request, services.OWN_CREDENTIAL)
        return redirect("credential_detail", pk=credential.pk)
    verify_form = VerifyForm(request.POST if "verify" in request.POST else None)
    reject_form = RejectForm(request.POST if "reject" in request.POST else None)
    if request.method == "POST":
        try:
            if "verify" in request.POST and verify_form.is_valid():
                services.credential_verify(
                    credential=credential,
                    by=request.user,
                    primary_source_note=verify_form.cleaned_data["primary_source_note"],
                )
                messages.success(
                    request,
                    f"{credential.staff.full_name}'s {credential.credential_type.name} "
                    "is verified.",
                )
                return redirect(_next_in_queue())
            if "reject" in request.POST and reject_form.is_valid():
                services.credential_reject(
                    credential=credential,
                    by=request.user,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    f"Returned to {credential.staff.full_name} with your reason.",
                )
                return redirect(_next_in_queue())
        except ValidationError as exc:
            errors_to_messages(request, exc)
            return redirect("credential_detail", pk=credential.pk)
    return render(
        request,
        "credentials/review.html",
        {
            "credential": credential,
            "staff": credential.staff,
            "verify_form": verify_form,
            "reject_form": reject_form,
            "decisions": credential.decisions.select_related("by"),
            "pending": selectors.pending_verification_count(),
        },
    )


def _next_in_queue() -> str:
    nxt = selectors.verification_queue().first()
    if nxt is None:
        return reverse("verification_queue")
    return reverse("credential_review", args=[nxt.pk])


@any_user
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, "All notifications are marked as read.")
        return redirect("notifications")
    page = Paginator(selectors.notifications_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "credentials/notifications.html",
        {
            "page": page,
            "unread": selectors.unread_notification_count(user=request.user),
        },
    )


@require_POST
@any_user
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar link was replaced; the old one no longer works. Subscribe "
        "again with the new link.",
    )
    return redirect("my_credentials")


# Alerts in the calendar feed, in days before each expiry.
CALENDAR_ALARM_DAYS = (30, 7)
# A fixed, domain-like UID suffix (RFC 5545 suggests one): never the site's address.
CALENDAR_UID_DOMAIN = "credentials.milieu.invalid"


def calendar_uid(*, credential_id: int) -> str:
    """The calendar UID of a credential record's expiry event."""
    return f"credential-{credential_id}@{CALENDAR_UID_DOMAIN}"


@public
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's expiry dates as an iCalendar feed; the token is the secret."""
    from icalendar import Alarm, Calendar, Event

    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not user_has_access(feed.user):
        raise Http404("No such calendar.")
    staff = StaffProfile.objects.filter(user=feed.user).first()
    cal = Calendar()
    cal.add("prodid", "-//Milieu//Credential expiry dates//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "My credential expiry dates")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    if staff is not None:
        for cred in (
            Credential.objects.live()
            .filter(staff=staff, expires_on__isnull=False)
            .exclude(expires_on__gte=dt.date.max)  # a typo the day after can't hold
            .select_related("credential_type")
            .order_by("expires_on", "pk")
        ):
            event = Event()
            # RFC 5545: UID (stable per credential record, so a calendar updates
            # the event rather than duplicating it) and DTSTAMP are required. The
            # UID is built from ids alone: moving the site to a new address must
            # not duplicate every event in the calendars already subscribed.
            event.add("uid", calendar_uid(credential_id=cred.pk))
            event.add("dtstamp", stamp)
            summary = f"{cred.credential_type.name} expires"
            if cred.verification_status == Credential.Verification.PENDING:
                summary += " (pending verification)"
            event.add("summary", summary)
            event.add("dtstart", cred.expires_on)
            event.add("dtend", cred.expires_on + dt.timedelta(days=1))
            if cred.verification_status == Credential.Verification.PENDING:
                text, target = "HR has not verified it yet: ", "credential_detail"
            else:
                text, target = "Renew it: ", "credential_renew"
            event.add(
                "description",
                text + request.build_absolute_uri(reverse(target, args=[cred.pk])),
            )
            for days in CALENDAR_ALARM_DAYS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("trigger", dt.timedelta(days=-days))
                alarm.add(
                    "description",
                    f"{cred.credential_type.name} expires in {days} days",
                )
                event.add_component(alarm)
            cal.add_component(event)
    from portal.registry import calendar_events_for

    for event in calendar_events_for(user=feed.user):  # other apps' dates (classes)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="credentials.ics"'
    return response


@require_POST
@supervisor_or_hr_required
def remind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Email a person the list of what is missing or expiring."""
    staff = visible_staff_or_404(request.user, pk)
    if not may_remind(user=request.user, staff=staff):
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
