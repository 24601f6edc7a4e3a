"""Training pages outside Wagtail: my training, assigning, certificates, checks."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.audit import audit_access
from portal.bulk import jobs_of
from portal.dates import agency_today
from portal.forms import errors_to_messages
from portal.pdf import pdf_response
from portal.permissions import (
    any_user,
    hr_required,
    may_reset_quiz,
    may_see_certificate,
    public,
    supervisor_or_hr_required,
    visible_staff_or_404,
)
from portal.selectors import own_staff_profile, staff_visible_to, teams_visible_to
from portal.validators import parse_id

from . import selectors, services
from .certificates import certificate_pdf
from .forms import AssignForm, QuizResetForm
from .models import Completion, CoursePage, LessonPage, QuizPage


@any_user
def my_training(request):
    staff = own_staff_profile(request.user)
    today = agency_today()
    sections = selectors.my_training(staff=staff, today=today)
    return render(
        request,
        "courses/my_training.html",
        {
            "staff": staff,
            "sections": sections,
            "has_any": any(sections.values()),
        },
    )


@any_user
def search(request):
    """Published courses and lessons matching ``q``: all training is open to
    everyone signed in."""
    query = " ".join(request.GET.get("q", "").split())[: selectors.SEARCH_QUERY_MAX]
    hits = selectors.training_search(query=query) if query else []
    return render(request, "courses/search.html", {"query": query, "hits": hits})


@hr_required
def assign(request):
    today = agency_today()
    initial = {}
    if request.GET.get("staff", "").isdigit():
        initial["staff"] = [parse_id(request.GET["staff"])]
    form = AssignForm(
        request.POST or None,
        initial=initial,
        staff_qs=staff_visible_to(user=request.user),
        team_qs=teams_visible_to(user=request.user),
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        job = services.assignments_start_manual(
            course=form.cleaned_data["course"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
            staff=form.cleaned_data["staff"],
            team=form.cleaned_data["team"],
        )
        return redirect("bulk_job_detail", pk=job.pk)
    return render(
        request,
        "courses/assign.html",
        {"form": form, "jobs": jobs_of(kind=services.ASSIGN_KIND)[:5]},
    )


@hr_required
@require_POST
def retrain_older_versions(request, pk: int):
    """HR assigns the course again to everyone who completed an earlier version."""
    import datetime as dt

    if parse_id(pk) is None:  # beyond what the database can hold
        raise Http404("No such course.")
    course = get_object_or_404(CoursePage.objects.live(), pk=pk)
    try:
        days = int(request.POST.get("days", course.new_version_due_days))
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        messages.error(request, "Give the number of days to complete it, 1 to 365.")
        return redirect(course.url)
    job = services.retraining_start_new_version(
        course=course, due_on=agency_today() + dt.timedelta(days=days), by=request.user
    )
    return redirect("bulk_job_detail", pk=job.pk)


@any_user
@require_POST
def lesson_complete(request, pk: int):
    staff = getattr(request.user, "staff", None)
    if parse_id(pk) is None:
        raise Http404("No such lesson.")
    lesson = get_object_or_404(LessonPage.objects.live(), pk=pk)
    if staff is None:
        raise Http404("You have no staff record.")
    completion = services.lesson_mark_complete(staff=staff, lesson=lesson)
    if completion:
        messages.success(request, f"You completed “{completion.course_title}”.")
        return redirect(lesson.get_parent().url)
    progress = selectors.course_progress(
        staff=staff, course=lesson.get_parent().specific
    )
    nxt = progress.next_after(lesson)
    messages.success(request, f"Lesson “{lesson.title}” marked complete.")
    return redirect(nxt["url"] if nxt else lesson.get_parent().url)


@any_user
def certificate_download(request, pk: int):
    completion = get_object_or_404(
        Completion.objects.select_related("staff__user"), pk=pk
    )
    if not may_see_certificate(user=request.user, completion=completion):
        raise Http404("No such certificate.")
    pdf = certificate_pdf(completion=completion)
    audit_access(actor=request.user, obj_or_model=completion, what="certificate PDF")
    return pdf_response(
        pdf,
        filename=f"certificate-{completion.certificate_code}.pdf",
        cache_control="private, no-store",
    )


# What a certificate code can be: letters, digits and dashes (as printed).
_CODE = re.compile(r"^[A-Z0-9-]{4,20}$")


@public
def verify_form(request):
    """Type a certificate's code to check it (the code printed on the PDF)."""
    code = " ".join(str(request.GET.get("code", "")).split()).upper()
    error = ""
    if "code" in request.GET:
        if not code:
            error = "Type the code printed on the certificate."
        elif not _CODE.match(code):
            error = (
                "A certificate code has 4 to 20 letters, digits and dashes, as "
                "printed on the certificate; check what you typed."
            )
        else:
            return redirect("courses:verify", code=code)
    return render(
        request,
        "courses/verify_form.html",
        {"code": code, "error": error},
        status=400 if error else 200,
    )


@public
def verify(request, code: str):
    completion = (
        Completion.objects.select_related("staff__user")
        .filter(certificate_code=code.strip().upper())
        .first()
    )
    if completion is None:
        return render(request, "courses/verify_not_found.html", status=404)
    check = selectors.certificate_check(completion=completion, today=agency_today())
    return render(request, "courses/verify.html", {"check": check})


@supervisor_or_hr_required
@require_POST
def quiz_reset(request, pk: int):
    staff = visible_staff_or_404(request.user, pk)
    if not may_reset_quiz(user=request.user, staff=staff):
        raise Http404("You cannot reset your own quiz.")
    form = QuizResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the quiz is being reset.")
        return redirect("staff_detail", pk=staff.pk)
    quiz = get_object_or_404(QuizPage, pk=form.cleaned_data["quiz"])
    try:
        services.quiz_reset(
            staff=staff, quiz=quiz, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(
            request, f"{staff.full_name} has a fresh set of attempts at “{quiz.title}”."
        )
    return redirect("staff_detail", pk=staff.pk)
