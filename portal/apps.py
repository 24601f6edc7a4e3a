from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Organization"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from . import models
        from .registry import register_home_panel, register_nav
        from .roles import Role

        post_migrate.connect(_ensure_roles, sender=self)
        from . import account_events

        account_events.connect()
        from . import sso

        sso.connect()
        user_logged_in.connect(_remember_on_staff)
        from .attention import warm_at_login

        user_logged_in.connect(warm_at_login, dispatch_uid="milieu-header-facts")
        post_save.connect(_forget_time_zone, sender=models.Agency)
        from .fragments import watch_person_records, watch_shared_records

        watch_person_records(models.StaffProfile, models.User)
        watch_shared_records(
            models.Agency, models.Site, models.Program, models.Team, models.JobRole
        )
        auditlog.register(models.StaffProfile)
        from allauth.account.models import EmailAddress

        auditlog.register(EmailAddress)
        auditlog.register(models.Team, m2m_fields={"supervisors"})
        auditlog.register(models.JobRole)
        auditlog.register(
            models.User,
            include_fields=["email", "is_active", "first_name", "last_name"],
        )

        from .bulk import register_kind
        from .importer import IMPORT_KIND, import_job_kind

        register_kind(IMPORT_KIND, import_job_kind())
        register_nav("Home", "home", order=0)
        register_home_panel(
            "portal-teams-without-supervisor",
            _teams_without_supervisor_panel,
            roles={Role.HR, Role.ADMIN},
            order=5,
        )
        register_nav(
            "Staff",
            "staff_list",
            roles={Role.SUPERVISOR, Role.HR, Role.ADMIN},
            order=40,
        )


def _ensure_roles(sender, using="default", **kwargs) -> None:
    # Our post_migrate runs before auth's has made every app's permissions.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .services import roles_ensure

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_ensure()
    _name_the_cms_site(using=using)


def _name_the_cms_site(*, using: str) -> None:
    """The CMS names its site after the agency's portal, not "localhost"."""
    from django.conf import settings
    from wagtail.models import Site

    Site.objects.using(using).filter(site_name="").update(
        site_name=settings.WAGTAIL_SITE_NAME
    )


def _remember_on_staff(sender, request, user, **kwargs) -> None:
    from .registry import SESSION_ON_STAFF, has_staff_profile

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ON_STAFF] = has_staff_profile(user)


def _forget_time_zone(sender, **kwargs) -> None:
    from .dates import forget_agency_time_zone

    forget_agency_time_zone()


def _teams_without_supervisor_panel(request, **_) -> str | None:
    from django.template.loader import render_to_string

    from .selectors import teams_without_supervisor

    teams = teams_without_supervisor()
    if not teams:
        return None
    return render_to_string(
        "portal/panels/teams_without_supervisor.html", {"teams": teams}, request=request
    )
