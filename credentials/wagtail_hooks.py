"""Wagtail admin screens where HR edits credential types (CMS › Credentials), and
the credential requirements and "any one of" groups (CMS › Requirements)."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.wagtail_hooks import RequirementViewSet

from .models import CredentialGroup, CredentialRequirement, CredentialType


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
        "fixed_expiry_month",
        "fixed_expiry_day",
        "fixed_expiry_years",
        "reminder_days",
        "remind_weekly_when_expired",
        "recorded_by_hr",
        "ce_hours_required",
        "instructor_credentials",
        "active",
    ]
    list_display = ["name", "code", "category", "validity_months", "reminder_days"]
    list_filter = ["category", "active"]
    search_fields = ["name", "code"]


class CredentialRequirementViewSet(RequirementViewSet):
    model = CredentialRequirement
    icon = "doc-full"
    menu_label = "Credential requirements"
    menu_order = 20
    item_fields = ["credential_type", "group"]
    list_display = ["required_label", "applies_to_label", "due_label", "active"]
    list_filter = ["job_role", "program", "site", "credential_type", "group"]


class CredentialGroupViewSet(ModelViewSet):
    model = CredentialGroup
    icon = "list-ul"
    menu_label = "Credential groups (any one of)"
    menu_order = 40
    form_fields = ["name", "description", "members"]
    list_display = ["name", "description"]
    search_fields = ["name"]


class CredentialsGroup(ViewSetGroup):
    menu_label = "Credentials"
    menu_icon = "doc-full"
    menu_order = 210
    items = (CredentialTypeViewSet("credentialtype"),)


@hooks.register("register_admin_viewset")
def register_credentials_viewsets():
    return CredentialsGroup()


@hooks.register("register_requirement_viewset")
def register_credential_requirements():
    return CredentialRequirementViewSet("credentialrequirement")


@hooks.register("register_requirement_viewset")
def register_credential_groups():
    return CredentialGroupViewSet("credentialgroup")
