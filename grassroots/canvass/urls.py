from __future__ import annotations

from django.urls import path

from grassroots.canvass import views

urlpatterns = [
    path("universes/<str:public_id>/", views.universe_detail, name="universe_detail"),
    path("sync/", views.sync_visits, name="canvass_sync"),
    path("turfs/<str:public_id>/walk/", views.walk_list, name="walk_list"),
]
