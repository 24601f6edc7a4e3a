"""Credentials: licenses and certifications, documents, verification, reminders."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

HR_PERMISSIONS = [
    f"credentials.{action}_{model}"
    for model in ("credentialtype", "credentialrequirement", "credentialgroup")
    for action in ("add", "change", "view")
] + ["credentials.view_credential", "credentials.view_reminderlog"]


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from portal.registry import (
            register_home_panel,
            register_nav,
            register_person_panel,
        )
        from portal.requirements import register_provider
        from portal.roles import Role

        from . import models, panels, selectors

        auditlog.register(models.CredentialType)
        auditlog.register(models.CredentialRequirement)
        auditlog.register(models.CredentialGroup)
        auditlog.register(models.Credential)
        auditlog.register(models.CredentialDocument)

        register_nav(
            "My credentials", "my_credentials", order=20, needs_staff_profile=True
        )
        register_nav(
            "Verification queue",
            "verification_queue",
            roles={Role.HR, Role.ADMIN},
            order=45,
        )
        register_nav("Notifications", "notifications", order=90)
        from portal.attention import register_attention

        register_attention(
            "credentials",
            selectors.attention_credentials,
            url_name="my_credentials",
            needs_staff_profile=True,
            order=20,
        )
        register_attention(
            "verification",
            selectors.attention_verification,
            url_name="verification_queue",
            roles={Role.HR, Role.ADMIN},
            order=40,
        )
        register_home_panel(
            "credentials-mine",
            panels.home_staff,
            roles={Role.STAFF, Role.SUPERVISOR, Role.HR},
            order=20,
            per_person=True,
        )
        from portal.fragments import watch_person_records, watch_shared_records

        watch_person_records(models.Credential, models.Notification)
        watch_shared_records(
            models.CredentialType, models.CredentialGroup, models.CredentialRequirement
        )
        register_home_panel(
            "credentials-hr", panels.home_hr, roles={Role.HR, Role.ADMIN}, order=21
        )
        register_person_panel("credentials", panels.person, order=20)
        register_provider("credential", selectors.requirement_statuses)
        post_migrate.connect(_grant_hr, sender=self)
        from portal.signals import user_access_ended

        user_access_ended.connect(_revoke_calendar_feed)


def _revoke_calendar_feed(sender, user, **kwargs) -> None:
    """A closed account's calendar link stops working (a new one is made on return)."""
    from .models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()


def _grant_hr(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from portal.roles import Role
    from portal.services import roles_ensure

    create_permissions(sender, verbosity=0, using=using)
    roles_ensure(extra={Role.HR: HR_PERMISSIONS})
