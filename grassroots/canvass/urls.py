from __future__ import annotations

from django.urls import path

from grassroots.canvass import app_views, script_views, views

urlpatterns = [
    path("universes/<str:public_id>/", views.universe_detail, name="universe_detail"),
    path("sync/", views.sync_visits, name="canvass_sync"),
    path("universes/<str:public_id>/turfs/", views.universe_turfs, name="universe_turfs"),
    path("universes/<str:public_id>/turfs.geojson", views.universe_turfs_map, name="universe_turfs_map"),
    path("turfs/<str:public_id>/walk/", views.walk_list, name="walk_list"),
    path("my/", app_views.my_turfs, name="canvass_my_turfs"),
    path("shifts/<str:public_id>/sign-up", app_views.shift_sign_up, name="canvass_shift_sign_up"),
    path("turfs/<str:public_id>/app/", app_views.turf_app, name="canvass_turf_app"),
    path("turfs/<str:public_id>/app.json", app_views.turf_app_data, name="canvass_turf_app_data"),
    path("scripts/", script_views.script_list, name="script_list"),
    path("scripts/<str:public_id>/", script_views.script_detail, name="script_detail"),
    path("scripts/<str:public_id>/questions/<slug:key>/", script_views.question_edit, name="question_edit"),
    path(
        "scripts/<str:public_id>/questions/<slug:key>/change",
        script_views.question_change,
        name="question_change",
    ),
    path("sw.js", app_views.service_worker, name="canvass_service_worker"),
]
