from __future__ import annotations

from django.urls import path

from grassroots.results import views

urlpatterns = [
    path("", views.results_home, name="results_home"),
    path("contests/<str:public_id>/", views.contest_detail, name="contest_detail"),
    path("contests/<str:public_id>/map.geojson", views.contest_map, name="contest_map"),
    path("contests/<str:public_id>/areas.csv", views.contest_csv, name="contest_csv"),
    path("targets/", views.targets_page, name="targets"),
    path("targets/map.geojson", views.targets_map, name="targets_map"),
    path("targets/areas.csv", views.targets_csv, name="targets_csv"),
    path("swing/", views.swing_page, name="swing"),
    path("swing/map.geojson", views.swing_map, name="swing_map"),
    path("swing/areas.csv", views.swing_csv, name="swing_csv"),
]
