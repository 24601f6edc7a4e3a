"""URLs of the skills app (the paths they had under compliance)."""

from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path(
        "staff/<int:pk>/skills/sign-off/",
        views.signoff_create,
        name="signoff_create",
    ),
    path("skills/sign-offs/<int:pk>/", views.signoff_detail, name="signoff_detail"),
]
