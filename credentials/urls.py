"""URLs of the credentials app."""

from django.urls import path

from . import views

urlpatterns = [
    path("credentials/", views.my_credentials, name="my_credentials"),
    path("credentials/add/", views.credential_add, name="credential_add"),
    path("credentials/<int:pk>/", views.credential_detail, name="credential_detail"),
    path(
        "credentials/<int:pk>/renew/", views.credential_renew, name="credential_renew"
    ),
    path(
        "credentials/<int:pk>/resubmit/",
        views.credential_resubmit,
        name="credential_resubmit",
    ),
    path(
        "credentials/<int:pk>/documents/",
        views.credential_document_upload,
        name="credential_document_upload",
    ),
    path(
        "credentials/documents/<int:pk>/",
        views.document_download,
        name="credential_document",
    ),
    path(
        "verification/",
        views.verification_queue,
        name="verification_queue",
    ),
    path(
        "verification/<int:pk>/",
        views.credential_review,
        name="credential_review",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("credentials/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path(
        "credentials/calendar/<str:token>.ics",
        views.calendar_feed,
        name="credential_calendar",
    ),
    path("staff/<int:pk>/remind/", views.remind, name="remind"),
]
