"""Wagtail admin screens where HR edits credential types and job-role requirements
(CMS › Credentials)."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CredentialRequirement, CredentialType


class CredentialTypeViewSet(ModelViewSet):
    model = CredentialType
    icon = "doc-full"
    form_fields = [
        "name",
        "code",
        "category",
        "issuing_bodies",
        "has_number",
        "has_state",
        "has_expiry",
        "requires_document",
        "validity_months",
        "reminder_days",
        "remind_weekly_when_expired",
        "ce_hours_required",
        "active",
    ]
    list_display = ["name", "code", "category", "validity_months", "reminder_days"]
    list_filter = ["category", "active"]
    search_fields = ["name", "code"]


class CredentialRequirementViewSet(ModelViewSet):
    model = CredentialRequirement
    icon = "list-ul"
    form_fields = [
        "job_role",
        "credential_type",
        "before_first_shift",
        "due_within_days",
    ]
    list_display = [
        "job_role",
        "credential_type",
        "before_first_shift",
        "due_within_days",
    ]
    list_filter = ["job_role", "credential_type"]


class CredentialsGroup(ViewSetGroup):
    menu_label = "Credentials"
    menu_icon = "doc-full"
    menu_order = 210
    items = (
        CredentialTypeViewSet("credentialtype"),
        CredentialRequirementViewSet("credentialrequirement"),
    )


@hooks.register("register_admin_viewset")
def register_credentials_viewsets():
    return CredentialsGroup()
