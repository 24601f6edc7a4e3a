"""URLs of the training pages (course content itself is served by Wagtail)."""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("training/", views.my_training, name="my_training"),
    path("training/search/", views.search, name="search"),
    path("training/assign/", views.assign, name="assign"),
    path(
        "training/lessons/<int:pk>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "training/certificates/<int:pk>.pdf",
        views.certificate_download,
        name="certificate",
    ),
    path(
        "training/courses/<int:pk>/retrain-older-versions/",
        views.retrain_older_versions,
        name="retrain_older_versions",
    ),
    path("staff/<int:pk>/quiz-reset/", views.quiz_reset, name="quiz_reset"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
