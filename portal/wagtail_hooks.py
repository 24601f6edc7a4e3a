"""Wagtail admin screens for the organization (HR and admins, under "Organization")."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.views.generic.models import DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import (
    SnippetChooserViewSet as BaseSnippetChooserViewSet,
)
from wagtail.snippets.views.chooser import SnippetCreateView

from . import services
from .models import Agency, JobRole, Program, Site, StaffProfile, Team


class RequirementViewSet(ModelViewSet):
    """The screen of one kind of requirement (course, credential, skill), all of
    the shape of ``portal.models.Requirement``. An app registers its subclass with
    the ``register_requirement_viewset`` hook; they show under one menu."""

    item_fields: list[str] = []
    add_to_admin_menu = False

    @property
    def form_fields(self):
        return [
            *self.item_fields,
            "job_role",
            "program",
            "site",
            "due_rule",
            "due_within_days",
            "active",
        ]

    @property
    def list_display(self):
        return [*self.item_fields, "applies_to_label", "due_label", "active"]

    @property
    def list_filter(self):
        return ["job_role", "program", "site", "due_rule", "active"]


class ChooserCreateView(SnippetCreateView):
    """A chooser's "Create" tab is shown only when the chooser has a creation
    form; without one, its address answers 404 instead of a server error."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404("This chooser does not create items.")
        return super().dispatch(request, *args, **kwargs)


class SnippetChooserViewSet(BaseSnippetChooserViewSet):
    """The snippet chooser every snippet here uses (``chooser_viewset_class``)."""

    create_view_class = ChooserCreateView


class StaffProfileEditView(EditView):
    """Saves through ``staff_update`` so a new job role assigns its requirements."""

    def save_instance(self):
        fields = {name: self.form.cleaned_data[name] for name in self.form.changed_data}
        return services.staff_update(
            staff=StaffProfile.objects.get(pk=self.object.pk),
            by=self.request.user,
            **fields,
        )


class KeepRecordsDeleteView(DeleteView):
    """Refuses, with a message, to delete what records still point at (a person
    with completions, credentials, quiz attempts; a site with teams) instead of
    answering a server error."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as exc:
            kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.args[1]})
            messages.error(
                self.request,
                f"“{self.object}” cannot be deleted: {', '.join(kinds)} refer to "
                "it and are kept for auditors. For a person who left, set the "
                "status to Terminated instead.",
            )
            return redirect(self.get_success_url())


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "home"
    form_fields = ["name", "time_zone", "supervisors_take_attendance"]
    list_display = ["name", "time_zone"]


class SiteViewSet(ModelViewSet):
    delete_view_class = KeepRecordsDeleteView
    model = Site
    icon = "site"
    form_fields = ["agency", "name", "address"]
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


class ProgramViewSet(ModelViewSet):
    delete_view_class = KeepRecordsDeleteView
    model = Program
    icon = "folder-open-inverse"
    form_fields = ["agency", "name", "description"]
    list_display = ["name"]
    search_fields = ["name"]


class TeamViewSet(ModelViewSet):
    delete_view_class = KeepRecordsDeleteView
    model = Team
    icon = "group"
    form_fields = ["name", "site", "program", "supervisors"]
    list_display = ["name", "site", "program"]
    list_filter = ["site", "program"]
    search_fields = ["name"]


class JobRoleViewSet(ModelViewSet):
    delete_view_class = KeepRecordsDeleteView
    model = JobRole
    icon = "tag"
    form_fields = ["name", "code", "description", "orientation_days"]
    list_display = ["name", "code", "orientation_days"]
    search_fields = ["name", "code"]


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "user"
    edit_view_class = StaffProfileEditView
    delete_view_class = KeepRecordsDeleteView
    form_fields = ["job_role", "team", "hire_date", "status", "termination_date"]
    list_display = ["__str__", "employee_id", "job_role", "team", "status"]
    list_filter = ["status", "job_role", "team"]
    search_fields = ["employee_id", "user__first_name", "user__last_name"]
    # People are hired through the portal's "Add staff" page, which invites them.
    add_view_enabled = False
    inspect_view_enabled = True


class OrganisationGroup(ViewSetGroup):
    menu_label = "Organization"
    menu_icon = "group"
    menu_order = 200
    items = (
        AgencyViewSet("agency"),
        SiteViewSet("site"),
        ProgramViewSet("program"),
        TeamViewSet("team"),
        JobRoleViewSet("jobrole"),
        StaffProfileViewSet("staffprofile"),
    )


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationGroup()


class RequirementsGroup(ViewSetGroup):
    """One "Requirements" menu with every kind the apps register."""

    menu_label = "Requirements"
    menu_icon = "list-ul"
    menu_order = 205

    def __init__(self, items):
        self.items = tuple(sorted(items, key=lambda v: v.menu_order))
        super().__init__()


@hooks.register("register_admin_viewset")
def register_requirements_menu():
    return RequirementsGroup(
        [make() for make in hooks.get_hooks("register_requirement_viewset")]
    )


@hooks.register("insert_global_admin_js")
def idle_logoff_warning():
    """The CMS warns before the idle logoff too (static/js/idle.js)."""
    seconds = settings.IDLE_TIMEOUT_MINUTES * 60
    if not seconds:
        return ""
    return format_html(
        '<script src="{}" defer data-idle-seconds="{}" data-keepalive-url="{}">'
        "</script>",
        static("js/idle.js"),
        seconds,
        reverse("session_keepalive"),
    )
