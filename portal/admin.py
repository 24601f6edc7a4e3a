"""Django admin registrations, for superusers."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .cms_users import ask_email_change, hold_email_change
from .models import (
    Agency,
    Invitation,
    JobRole,
    OutboundEmail,
    Program,
    Site,
    StaffProfile,
    Team,
    User,
)


class UserAddForm(forms.ModelForm):
    """No password here: people choose their own from an invitation (one front door)."""

    class Meta:
        model = User
        fields = ["email"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email",)}),)

    def save_model(self, request, obj, form, change):
        new_email = hold_email_change(form) if change else None
        super().save_model(request, obj, form, change)
        if new_email:
            ask_email_change(request, user=obj, email=new_email)

    def get_urls(self):
        # Passwords are set by their owner through allauth, never by an admin.
        return [u for u in super().get_urls() if "password" not in str(u.pattern)]


admin.site.register([Agency, Site, Program, Team, JobRole])


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "employee_id", "job_role", "team", "status"]
    list_filter = ["status", "job_role", "team"]
    search_fields = ["user__email", "user__last_name", "employee_id"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "sent_at", "accepted_at", "expires_at"]
    readonly_fields = ["nonce"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what is retrying, what was given up (and why)."""

    list_display = ["kind", "subject", "created_at", "state", "attempts", "sent_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter), "failed_at"]
    search_fields = ["dedupe_key", "subject", "message_id"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
