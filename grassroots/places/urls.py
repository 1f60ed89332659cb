from __future__ import annotations

from django.urls import path

from grassroots.places import views

urlpatterns = [
    path("", views.area_list, name="area_list"),
    path("map.geojson", views.roots_map, name="roots_map"),
    path("<str:public_id>/", views.area_detail, name="area_detail"),
    path("<str:public_id>/map.geojson", views.area_map, name="area_map"),
]
