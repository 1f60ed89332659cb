from __future__ import annotations

from django.urls import path

from grassroots.people import views

urlpatterns = [
    path("", views.people_list, name="people_list"),
    path("new/", views.person_create, name="person_create"),
    path("tag/", views.people_tag, name="people_tag"),
    path("<str:public_id>/", views.person_detail, name="person_detail"),
    path("<str:public_id>/edit/", views.person_edit, name="person_edit"),
    path("<str:public_id>/merge/", views.person_merge, name="person_merge"),
    path("<str:public_id>/export/", views.person_export, name="person_export"),
    path("<str:public_id>/erase/", views.person_erase, name="person_erase"),
]
