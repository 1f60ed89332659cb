from __future__ import annotations

from django.urls import path

from grassroots.events import views

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("forms/", views.event_form_list, name="event_form_list"),
    path("forms/new/", views.event_form_create, name="event_form_create"),
    path("forms/<str:public_id>/", views.event_form_detail, name="event_form_detail"),
    path("forms/<str:public_id>/submissions.csv", views.event_form_submissions_csv, name="event_form_csv"),
    path("projects/<str:public_id>/", views.event_project_sheet, name="event_project_sheet"),
    path("rsvps/<str:public_id>/cancel/", views.event_rsvp_cancel, name="event_rsvp_cancel"),
    path("<str:public_id>/", views.event_detail, name="event_detail"),
    path("<str:public_id>/edit/", views.event_edit, name="event_edit"),
    path("<str:public_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("<str:public_id>/shifts/", views.event_shift_add, name="event_shift_add"),
    path("<str:public_id>/hosts/", views.event_hosts, name="event_hosts"),
    path("<str:public_id>/agenda/", views.event_agenda_add, name="event_agenda_add"),
    path("<str:public_id>/kiosk/", views.event_kiosk, name="event_kiosk"),
    path("<str:public_id>/kiosk/sign-in/", views.event_kiosk_sign_in, name="event_kiosk_sign_in"),
    path("<str:public_id>/rsvps.csv", views.event_rsvps_csv, name="event_rsvps_csv"),
    path("<str:public_id>/attendance.csv", views.event_attendance_csv, name="event_attendance_csv"),
]
