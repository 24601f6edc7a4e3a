"""Pages of the skills app: sign off an observed skill, see a sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from portal.dates import agency_today
from portal.forms import errors_to_form
from portal.permissions import (
    any_user,
    may_see_person,
    may_sign_off,
    sign_off_refusal,
    supervisor_or_hr_required,
    visible_staff_or_404,
)
from portal.types import AuthenticatedHttpRequest
from portal.validators import parse_id

from . import selectors, services
from .forms import SignOffForm
from .models import SkillChecklist, SkillSignOff


@supervisor_or_hr_required
def signoff_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Sign off an observed skill for one person (their supervisor or HR)."""
    staff = visible_staff_or_404(request.user, pk)
    problem = sign_off_refusal(user=request.user, staff=staff)
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
                "skills/signoff_choose.html",
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
            errors_to_form(form, exc)
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
        "skills/signoff_form.html",
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
    if not may_see_person(user=request.user, staff=signoff.staff):
        raise Http404("No such sign-off.")
    corrected_by = SkillSignOff.objects.filter(corrects=signoff).first()
    can_correct = (
        may_sign_off(user=request.user, staff=signoff.staff) and corrected_by is None
    )
    return render(
        request,
        "skills/signoff_detail.html",
        {
            "signoff": signoff,
            "items": signoff.items.all(),
            "corrected_by": corrected_by,
            "can_correct": can_correct,
        },
    )
