from __future__ import annotations

from django.urls import path

from grassroots.struggles import views

urlpatterns = [
    path("", views.struggle_list, name="struggle_list"),
    path("new/", views.struggle_create, name="struggle_create"),
    path("targets/", views.organization_list, name="organization_list"),
    path("targets/new/", views.organization_create, name="organization_create"),
    path("targets/<str:public_id>/", views.organization_detail, name="organization_detail"),
    path("targets/<str:public_id>/edit/", views.organization_edit, name="organization_edit"),
    path("targets/<str:public_id>/places/", views.organization_places, name="organization_places"),
    path("targets/<str:public_id>/sites/", views.organization_site, name="organization_site"),
    path("targets/<str:public_id>/workplaces/", views.organization_workplace, name="organization_workplace"),
    path("targets/<str:public_id>/delete/", views.organization_delete, name="organization_delete"),
    path("grievances/<str:public_id>/", views.grievance_detail, name="grievance_detail"),
    path("grievances/<str:public_id>/status/", views.grievance_status, name="grievance_status"),
    path("grievances/<str:public_id>/evidence/", views.grievance_evidence, name="grievance_evidence"),
    path("<str:public_id>/", views.struggle_detail, name="struggle_detail"),
    path("<str:public_id>/people/", views.struggle_people, name="struggle_people"),
    path("<str:public_id>/escalations/", views.struggle_escalation, name="struggle_escalation"),
    path("<str:public_id>/grievances/", views.struggle_grievance, name="struggle_grievance"),
    path("<str:public_id>/demands/", views.struggle_demand, name="struggle_demand"),
    path("<str:public_id>/status/", views.struggle_status, name="struggle_status"),
    path("<str:public_id>/delete/", views.struggle_delete, name="struggle_delete"),
]
