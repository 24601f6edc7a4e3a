"""Wagtail admin screens for the organisation (HR and admins, under "Organisation")."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.views.generic.models import DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .models import Agency, JobRole, Program, Site, StaffProfile, Team


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
    form_fields = ["name", "time_zone"]
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
    menu_label = "Organisation"
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
