"""Pages for classes (list, schedule, book, cancel, roster) and CE hours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.audit import audit_access
from portal.dates import agency_time_zone, agency_today
from portal.forms import errors_to_form, errors_to_messages
from portal.models import StaffProfile
from portal.pdf import pdf_response
from portal.permissions import (
    any_user,
    hr_required,
    may_book_for_others,
    may_see_everyone_booked,
    may_see_person,
    supervisor_or_hr_required,
    trainer_or_hr_required,
    visible_staff_or_404,
)
from portal.roles import is_hr, is_supervisor
from portal.types import AuthenticatedHttpRequest

from . import selectors, services
from .filters import SessionFilter
from .forms import (
    BookForm,
    CancelSessionForm,
    CEActivityForm,
    CEDecisionForm,
    EvaluationForm,
    SessionForm,
    SignatureForm,
)
from .models import Booking, CEActivity, ClassSession
from .signin import sign_in_sheet_pdf

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import SeatCounts


def _own_staff(request: AuthenticatedHttpRequest) -> StaffProfile | None:
    return StaffProfile.objects.filter(user=request.user).first()


# --- Classes ------------------------------------------------------------------------


@any_user
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upcoming (or past) classes, filtered, with seats left."""
    now = timezone.now()
    filterset = SessionFilter(request.GET, now=now)
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    staff = _own_staff(request)
    mine = {}
    if staff is not None:
        mine = dict(
            Booking.objects.filter(
                staff=staff,
                session__in=[s.pk for s in page.object_list],
                status__in=Booking.ACTIVE,
            ).values_list("session_id", "status")
        )
    for session in page.object_list:
        session.my_status = mine.get(session.pk)
    return render(
        request,
        "classes/session_list.html",
        {
            "form": filterset.form,
            "page": page,
            "may_manage": selectors.may_manage_classes(request.user),
            "teaches": ClassSession.objects.filter(instructor=request.user).exists(),
            "now": now,
            "staff": staff,
        },
    )


@trainer_or_hr_required
def session_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("credential_type", "").isdigit():
        initial["credential_type"] = request.GET["credential_type"]
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in services.SESSION_FIELDS}
        data["notes"] = data.get("notes") or ""
        try:
            session = services.session_create(by=request.user, **data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"“{session.title}” is scheduled.")
            return redirect("classes:detail", session.pk)
    return render(request, "classes/session_form.html", {"form": form, "session": None})


@trainer_or_hr_required
def session_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ClassSession, pk=pk)
    if session.is_cancelled:
        messages.error(request, "This class was cancelled; it can no longer change.")
        return redirect("classes:detail", session.pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in services.SESSION_FIELDS}
        data["notes"] = data.get("notes") or ""
        try:
            services.session_update(
                session=ClassSession.objects.get(pk=pk), by=request.user, **data
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "The class was saved.")
            return redirect("classes:detail", pk)
    return render(
        request, "classes/session_form.html", {"form": form, "session": session}
    )


@require_POST
@trainer_or_hr_required
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ClassSession, pk=pk)
    form = CancelSessionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        told = services.session_cancel(session=session, by=request.user, reason=reason)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(
            request, f"The class was cancelled; {told} people are told by email."
        )
    return redirect("classes:detail", pk)


@any_user
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session: WithAnnotations[ClassSession, SeatCounts] = get_object_or_404(
        selectors.sessions_with_seats(), pk=pk
    )
    staff = _own_staff(request)
    mine = None
    if staff is not None:
        mine = session.bookings.filter(staff=staff, status__in=Booking.ACTIVE).first()
    manager = selectors.may_manage_classes(request.user)
    attendance = selectors.may_take_attendance(user=request.user, session=session)
    everyone = may_see_everyone_booked(
        user=request.user, instructor_id=session.instructor_id
    )
    people = selectors.booked_people_visible_to(user=request.user, session=session)
    book_form = None
    if may_book_for_others(request.user) and not session.is_cancelled:
        book_form = BookForm(
            staff_qs=selectors.staff_for_booking(user=request.user).order_by(
                "user__last_name", "user__first_name"
            )
        )
    now = timezone.now()
    roster = selectors.roster_current(session=session)
    checkin_qr = ""
    if everyone and roster is None and not session.is_cancelled:
        from .checkin import checkin_open, checkin_qr_svg, checkin_url

        if checkin_open(session=session, now=now):
            checkin_qr = checkin_qr_svg(url=checkin_url(session=session))
    return render(
        request,
        "classes/session_detail.html",
        {
            "session": session,
            "mine": mine,
            "staff": staff,
            "people": people,
            "sees_everyone": everyone,
            "is_supervisor": is_supervisor(request.user),
            "may_manage": manager,
            "may_take_attendance": attendance,
            "book_form": book_form,
            "open": not session.is_cancelled and now < session.booking_deadline,
            "started": now >= session.starts_at,
            "roster": roster,
            "evaluation_due": selectors.evaluation_due(session=session, staff=staff),
            "free": max(0, session.capacity - session.seats_taken),
            "checkin_qr": checkin_qr,
        },
    )


@require_POST
@any_user
def session_book(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Book yourself, or (supervisor for their teams, HR for anyone) a person."""
    session = get_object_or_404(ClassSession, pk=pk)
    if request.POST.get("staff"):
        if not may_book_for_others(request.user):
            raise Http404("No such person.")
        form = BookForm(
            request.POST, staff_qs=selectors.staff_for_booking(user=request.user)
        )
        if not form.is_valid():
            messages.error(request, "Choose a person you may book.")
            return redirect("classes:detail", pk)
        staff = form.cleaned_data["staff"]
    else:
        staff = _own_staff(request)
        if staff is None:
            messages.error(request, "You have no staff record, so you cannot book.")
            return redirect("classes:detail", pk)
    try:
        booking = services.booking_create(session=session, staff=staff, by=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        who = "You are" if staff.user_id == request.user.pk else f"{staff.full_name} is"
        if booking.status == Booking.Status.BOOKED:
            messages.success(request, f"{who} booked. The invitation is on its way.")
        else:
            messages.info(
                request,
                f"The class is full: {who.lower() if who == 'You are' else who} "
                "on the waitlist and will get an email if a seat frees up.",
            )
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("classes:detail", pk)


@require_POST
@any_user
def booking_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("staff"), pk=pk)
    own = booking.staff.user_id == request.user.pk
    if not own and not (
        may_book_for_others(request.user)
        and may_see_person(user=request.user, staff=booking.staff)
    ):
        raise Http404("No such booking.")
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, "The booking was cancelled.")
    return redirect("classes:detail", booking.session_id)


@any_user
def roster(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take attendance (a phone-sized form); once signed, it is read-only."""
    session = get_object_or_404(
        ClassSession.objects.select_related("instructor", "credential_type"), pk=pk
    )
    if not selectors.may_take_attendance(user=request.user, session=session):
        raise Http404("No such roster.")
    current = selectors.roster_current(session=session)
    correcting = current is not None and request.GET.get("correct") == "1"
    if request.method == "POST":
        correcting = current is not None
    # Only the people this user may mark are listed (a supervisor never sees who
    # else from other teams is in the class); the service checks each mark again.
    people = selectors.roster_markable(
        user=request.user,
        session=session,
        people=selectors.roster_people(session=session),
    )
    markable = {b.staff_id for b in people}
    previous = {}
    shown_entries = []
    if current is not None:
        entries = list(current.entries.select_related("staff__user", "staff__team"))
        previous = {e.staff_id: e for e in entries}
        shown_entries = [
            e
            for e in entries
            if e.staff_id in markable
            or is_hr(request.user)
            or session.instructor_id == request.user.pk
            or may_see_person(user=request.user, staff=e.staff)
        ]
    filling = request.method == "POST" and request.POST.get("fill") in FILLS
    if filling:
        # "Mark all present" only fills the marks: nothing is checked or saved.
        form = SignatureForm(
            initial={k: request.POST.get(k, "")[:300] for k in ("signature", "reason")}
        )
    else:
        form = SignatureForm(request.POST if request.method == "POST" else None)
    rows = _roster_rows(request, people=people, previous=previous)
    if filling:
        filled = _roster_fill(rows, fill=request.POST["fill"])
        messages.info(request, FILLS[request.POST["fill"]].format(count=filled))
    elif request.method == "POST":
        marks, unmarked, no_result = _roster_marks(rows)
        signed = form.is_valid()
        if unmarked:
            form.add_error(
                None,
                "Mark each person present or absent before signing. Not marked: "
                + ", ".join(unmarked)
                + ".",
            )
        if no_result:
            form.add_error(
                None,
                "Mark each person present as passed or did not pass. Not marked: "
                + ", ".join(no_result)
                + ".",
            )
        if signed and not unmarked and not no_result:
            try:
                services.roster_submit(
                    session=session,
                    by=request.user,
                    signature=form.cleaned_data["signature"],
                    marks=marks,
                    corrects=current if correcting else None,
                    reason=form.cleaned_data.get("reason") or "",
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    "Attendance is signed. Passes are on file as completions and "
                    "renewed credentials.",
                )
                return redirect("classes:roster", pk)
    history = list(
        session.rosters.select_related("submitted_by").prefetch_related(
            "entries__staff__user"
        )
    )
    return render(
        request,
        "classes/roster.html",
        {
            "session": session,
            "rows": rows,
            "form": form,
            "current": current,
            "shown_entries": shown_entries,
            "partial": not (
                is_hr(request.user) or session.instructor_id == request.user.pk
            ),
            "correcting": correcting,
            "history": history,
            "started": timezone.now() >= session.starts_at,
        },
    )


@require_safe
@any_user
@never_cache
def checkin(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """A learner's check-in from the class's QR code: a booked person is checked
    in (the roster starts them as present); anything else, a clear reason."""
    from .checkin import CheckInRefused, checkin_session_id

    try:
        session_id = checkin_session_id(token=token[:200])
        booking = services.booking_check_in(
            session_id=session_id, staff=_own_staff(request)
        )
    except CheckInRefused as exc:
        return render(
            request, "classes/checkin.html", {"refused": str(exc)}, status=400
        )
    return render(request, "classes/checkin.html", {"booking": booking})


@require_safe
@any_user
@never_cache
def sign_in_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (PDF): for the instructor of record and HR, who
    see everyone booked (``may_see_everyone_booked``); 404 for anyone else."""
    session = get_object_or_404(
        ClassSession.objects.select_related("instructor", "credential_type"), pk=pk
    )
    if not may_see_everyone_booked(
        user=request.user, instructor_id=session.instructor_id
    ):
        raise Http404("No such class.")
    pdf = sign_in_sheet_pdf(session=session)
    audit_access(actor=request.user, obj_or_model=session, what="sign-in sheet PDF")
    day = session.starts_at.astimezone(agency_time_zone()).date().isoformat()
    return pdf_response(
        pdf,
        filename=f"sign-in-sheet-{day}-{session.pk}.pdf",
        cache_control="private, no-store",
    )


@require_safe
@any_user
def teaching(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The classes the viewer teaches: upcoming, and those awaiting a roster."""
    now = timezone.now()
    return render(
        request,
        "classes/teaching.html",
        {
            "sessions": selectors.sessions_taught_by(user=request.user, now=now),
            "now": now,
        },
    )


@any_user
def evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The post-class evaluation, for people who attended (404 for anyone else);
    one submission each."""
    session = get_object_or_404(ClassSession, pk=pk)
    staff = _own_staff(request)
    attended = (
        staff is not None
        and session.bookings.filter(
            staff=staff, status=Booking.Status.ATTENDED
        ).exists()
    )
    if not attended:
        if request.method == "GET" and may_see_everyone_booked(
            user=request.user, instructor_id=session.instructor_id
        ):
            return redirect("classes:evaluation_results", pk)
        raise Http404("No such evaluation.")
    if not selectors.evaluation_due(session=session, staff=staff):
        return render(
            request, "classes/evaluation.html", {"session": session, "done": True}
        )
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                session=session,
                staff=cast(StaffProfile, staff),
                overall=form.cleaned_data["overall"],
                instructor_clear=form.cleaned_data["instructor_clear"],
                comment=form.cleaned_data.get("comment") or "",
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Thank you: your evaluation is in.")
            return redirect("classes:detail", pk)
    return render(
        request,
        "classes/evaluation.html",
        {"session": session, "form": form, "done": False},
    )


@require_safe
@any_user
def evaluation_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The evaluations of a class, without names: for the instructor of record
    and HR (``may_see_everyone_booked``); 404 for anyone else."""
    session = get_object_or_404(ClassSession, pk=pk)
    if not may_see_everyone_booked(
        user=request.user, instructor_id=session.instructor_id
    ):
        raise Http404("No such class.")
    return render(
        request,
        "classes/evaluation_results.html",
        {"session": session, "results": selectors.evaluation_results(session=session)},
    )


# What each "mark all" button of the roster does; nothing is a default.
FILLS = {
    "present": "{count} people not yet marked are now marked present. Check the "
    "marks, then sign.",
    "passed": "{count} people marked present are now marked passed. Check the "
    "marks, then sign.",
}


def _roster_rows(
    request: AuthenticatedHttpRequest,
    *,
    people: list[Booking],
    previous: dict[int, Any],
) -> list[dict[str, Any]]:
    """One row per person to mark: what the form (on POST) or the roster being
    corrected says of them, else blank. A new roster starts with no marks."""
    rows: list[dict[str, Any]] = []
    for booking in people:
        sid = booking.staff_id
        prior = previous.get(sid)
        if request.method == "POST":
            attended = request.POST.get(f"attended-{sid}", "")
            result = request.POST.get(f"result-{sid}", "")
            note = request.POST.get(f"note-{sid}", "")[:300]
        elif prior is not None:
            attended = "present" if prior.present else "absent"
            result = "passed" if prior.passed else ("failed" if prior.present else "")
            note = prior.note
        else:
            # Checked in on their phone: present until the instructor says not.
            attended = "present" if booking.checked_in_at else ""
            result = note = ""
        rows.append(
            {
                "booking": booking,
                "attended": attended if attended in ("present", "absent") else "",
                "result": result if result in ("passed", "failed") else "",
                "note": note,
            }
        )
    return rows


def _roster_fill(rows: list[dict[str, Any]], *, fill: str) -> int:
    """Fill the blank marks for a "mark all" button; returns how many changed."""
    count = 0
    for row in rows:
        if fill == "present" and not row["attended"]:
            row["attended"] = "present"
            count += 1
        elif fill == "passed" and row["attended"] == "present" and not row["result"]:
            row["result"] = "passed"
            count += 1
    return count


def _roster_marks(
    rows: list[dict[str, Any]],
) -> tuple[dict[int, dict[str, Any]], list[str], list[str]]:
    """The marks for ``roster_submit``, and the names of the people not marked
    present or absent, and of those present with no result. Flags each such row."""
    marks: dict[int, dict[str, Any]] = {}
    unmarked: list[str] = []
    no_result: list[str] = []
    for row in rows:
        booking = row["booking"]
        if not row["attended"]:
            unmarked.append(booking.staff.full_name)
            row["missing"] = True
            continue
        present = row["attended"] == "present"
        if present and not row["result"]:
            no_result.append(booking.staff.full_name)
            row["missing"] = True
            continue
        marks[booking.staff_id] = {
            "present": present,
            "passed": present and row["result"] == "passed",
            "note": row["note"],
        }
    return marks, unmarked, no_result


# --- CE hours -----------------------------------------------------------------------


def _ce_page(request, staff: StaffProfile, *, own: bool) -> HttpResponse:
    cycles = selectors.ce_cycles_for(staff=staff)
    return render(
        request,
        "classes/ce_person.html",
        {
            "staff": staff,
            "own": own,
            "current": [c for c in cycles if getattr(c, "is_current", False)],
            "past": [c for c in cycles if not getattr(c, "is_current", False)],
            "is_hr": is_hr(request.user),
        },
    )


@any_user
def ce_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    staff = _own_staff(request)
    if staff is None:
        return render(request, "classes/ce_person.html", {"staff": None, "own": True})
    return _ce_page(request, staff, own=True)


@any_user
def ce_person(request: HttpRequest, pk: int) -> HttpResponse:
    staff = visible_staff_or_404(request.user, pk)
    return _ce_page(request, staff, own=staff.user_id == request.user.pk)


@any_user
def ce_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    staff = _own_staff(request)
    if staff is None:
        return render(request, "classes/ce_person.html", {"staff": None, "own": True})
    form = CEActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ce_activity_create(
                staff=staff,
                by=request.user,
                provider=data["provider"],
                title=data["title"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                category=data.get("category"),
                certificate=data["certificate"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc, field="certificate")
        else:
            messages.success(request, "Logged. HR verifies it against the certificate.")
            return redirect("classes:ce_mine")
    return render(request, "classes/ce_form.html", {"form": form})


@supervisor_or_hr_required
def ce_shortfalls(request: HttpRequest) -> HttpResponse:
    """Licensed people whose renewal is within a year and who are short of CE."""
    today = agency_today()
    rows = selectors.ce_shortfalls(user=request.user, today=today)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "classes/ce_shortfalls.html",
        {"page": page},
    )


@hr_required
def ce_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.ce_activities_pending(), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "classes/ce_queue.html", {"page": page})


@hr_required
def ce_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        CEActivity.objects.select_related("staff__user", "category"), pk=pk
    )
    form = CEDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ce_activity_decide(
                activity=activity,
                by=request.user,
                verified=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Decision saved.")
            return redirect("classes:ce_queue")
    return render(
        request, "classes/ce_review.html", {"activity": activity, "form": form}
    )


@any_user
@never_cache
def ce_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """A CE certificate, only for those who may see its owner (else 404)."""
    activity = get_object_or_404(CEActivity.objects.select_related("staff"), pk=pk)
    if not activity.file or not may_see_person(user=request.user, staff=activity.staff):
        raise Http404("No such certificate.")
    audit_access(
        obj_or_model=activity,
        actor=request.user,
        what=f"downloaded {activity.original_name}",
    )
    response = FileResponse(
        storages["private"].open(activity.file, "rb"),
        as_attachment=True,
        filename=activity.original_name,
        content_type=activity.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def book_url(session: ClassSession) -> str:
    return reverse("classes:book", args=[session.pk])
