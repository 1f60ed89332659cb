from __future__ import annotations

from django.urls import path

from grassroots.committees import views

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("new/", views.committee_new, name="committee_new"),
    path("mine/", views.committee_mine, name="committee_mine"),
    path("coverage/", views.committee_coverage, name="committee_coverage"),
    path("coverage/map.geojson", views.committee_coverage_map, name="committee_coverage_map"),
    path("start/<str:public_id>/", views.committee_start, name="committee_start"),
    path("uncovered/<str:public_id>/", views.committee_uncovered, name="committee_uncovered"),
    path("meetings/<str:public_id>/", views.committee_meeting_detail, name="committee_meeting_detail"),
    path(
        "meetings/<str:public_id>/attendance/",
        views.committee_meeting_attendance,
        name="committee_meeting_attendance",
    ),
    path("meetings/<str:public_id>/agenda/", views.committee_meeting_agenda, name="committee_meeting_agenda"),
    path(
        "meetings/<str:public_id>/minutes/", views.committee_meeting_minutes, name="committee_meeting_minutes"
    ),
    path(
        "meetings/<str:public_id>/decisions/",
        views.committee_meeting_decision,
        name="committee_meeting_decision",
    ),
    path("meetings/<str:public_id>/cancel/", views.committee_meeting_cancel, name="committee_meeting_cancel"),
    path("memberships/<str:public_id>/end/", views.committee_membership_end, name="committee_membership_end"),
    path("decisions/<str:public_id>/done/", views.committee_decision_done, name="committee_decision_done"),
    path("<str:public_id>/", views.committee_detail, name="committee_detail"),
    path("<str:public_id>/members/", views.committee_members, name="committee_members"),
    path("<str:public_id>/meetings/new/", views.committee_schedule, name="committee_schedule"),
    path("<str:public_id>/delete/", views.committee_delete, name="committee_delete"),
    path("<str:public_id>/restore/", views.committee_restore, name="committee_restore"),
    path("<str:public_id>/calendar.ics", views.committee_calendar_feed, name="committee_calendar"),
]
