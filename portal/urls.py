"""URL configuration: the portal's pages, each app's pages, the CMS and accounts."""

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .admin_site import restrict_admin_to_superusers

restrict_admin_to_superusers(admin.site)

handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("cms-login/", views.cms_login, name="cms_login"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/import/", views.staff_import, name="staff_import"),
    path("jobs/", views.bulk_job_list, name="bulk_job_list"),
    path("jobs/<int:pk>/", views.bulk_job_detail, name="bulk_job_detail"),
    path("jobs/<int:pk>/status.json", views.bulk_job_status, name="bulk_job_status"),
    path("jobs/<int:pk>/retry/", views.bulk_job_retry, name="bulk_job_retry"),
    path(
        "staff/import/sample.csv",
        views.staff_import_sample,
        name="staff_import_sample",
    ),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/reinvite/", views.staff_reinvite, name="staff_reinvite"),
    path("staff/<int:pk>/access/", views.staff_access, name="staff_access"),
    path("staff/<int:pk>/sso/unlink/", views.staff_sso_unlink, name="staff_sso_unlink"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("dev/sent-mail/", views.sent_mail, name="sent_mail"),
    # allauth's link that confirms a new login email, for its owner logged in only.
    path(
        "accounts/confirm-email/<str:key>/",
        views.email_confirm,
        name="account_confirm_email",
    ),
    path("scim/v2/", include("scim.urls")),
    path("accounts/", include("allauth.urls")),
    # One front door (allauth): the other login and password pages send people
    # there or are closed. They must come before the apps they shadow.
    path("django-admin/login/", views.front_door),
    path("django-admin/password_change/", views.no_such_page),
    path("cms/login/", views.cms_login),
    # Wagtail's own logout answers GET; allauth's asks first and acts on POST only.
    path("cms/logout/", allauth_views.logout),
    re_path(r"^cms/password_reset/", views.no_such_page),
    path("cms/choose-external-link/", views.cms_choose_external_link),
    path("cms/redirects/import/process/", views.cms_redirects_import_process),
    path("learn/_util/login/", views.front_door),
    re_path(r"^learn/_util/authenticate_with_password/", views.no_such_page),
    re_path(r"^documents/authenticate_with_password/", views.no_such_page),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("courses.urls")),
    path("", include("credentials.urls")),
    path("", include("skills.urls")),
    path("", include("compliance.urls")),
    path("classes/", include("classes.urls")),
    # Wagtail serves the training library pages; keep it last.
    path("learn/", include(wagtail_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
