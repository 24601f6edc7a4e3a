"""URLs of the compliance app."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/bulk/", views.matrix_bulk, name="matrix_bulk"),
    path("matrix/export.csv", views.matrix_export, name="matrix_export"),
    path("compliance/", views.dashboard, name="dashboard"),
    path(
        "compliance/credentials.csv",
        views.credentials_export,
        name="credentials_export",
    ),
    path("compliance/renewals.csv", views.renewals_export, name="renewals_export"),
    path("compliance/exports/", views.export_list, name="export_list"),
    path("compliance/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path(
        "compliance/exports/<int:pk>/status.json",
        views.export_status,
        name="export_status",
    ),
    path(
        "compliance/exports/<int:pk>/download/",
        views.export_download,
        name="export_download",
    ),
    path("staff/<int:pk>/training-file.pdf", views.training_file, name="training_file"),
    path("transcript/", views.transcript, name="transcript_mine"),
    path("staff/<int:pk>/transcript/", views.transcript, name="transcript"),
    path("staff/<int:pk>/transcript.pdf", views.transcript_pdf, name="transcript_pdf"),
]
