"""URLs of the classes app, under /classes/."""

from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("add/", views.session_add, name="add"),
    path("teaching/", views.teaching, name="teaching"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<int:pk>/book/", views.session_book, name="book"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("<int:pk>/evaluations/", views.evaluation_results, name="evaluation_results"),
    path("<int:pk>/sign-in-sheet.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("check-in/<str:token>/", views.checkin, name="checkin"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("ce/", views.ce_mine, name="ce_mine"),
    path("ce/add/", views.ce_add, name="ce_add"),
    path("ce/staff/<int:pk>/", views.ce_person, name="ce_person"),
    path("ce/shortfalls/", views.ce_shortfalls, name="ce_shortfalls"),
    path("ce/verification/", views.ce_queue, name="ce_queue"),
    path("ce/verification/<int:pk>/", views.ce_review, name="ce_review"),
    path("ce/certificates/<int:pk>/", views.ce_certificate, name="ce_certificate"),
]
