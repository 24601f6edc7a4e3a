"""Django's own admin is kept for superusers only; everyone else uses /cms/."""

from django.contrib.admin import AdminSite


def restrict_admin_to_superusers(site: AdminSite) -> None:
    site.has_permission = lambda request: (  # type: ignore[method-assign]
        request.user.is_active and request.user.is_superuser
    )
    site.site_header = "Milieu (superusers)"
