from __future__ import annotations

from django.urls import path

from grassroots.coalitions import views

urlpatterns = [
    path("", views.coalition_list, name="coalition_list"),
    path("organizations/new/", views.partner_create, name="coalition_partner_create"),
    path("organizations/<str:public_id>/", views.partner_detail, name="coalition_partner"),
    path("organizations/<str:public_id>/contacts/", views.partner_contact, name="coalition_partner_contact"),
    path("organizations/<str:public_id>/people/", views.partner_people, name="coalition_partner_people"),
    path(
        "organizations/<str:public_id>/relationships/",
        views.partner_relationship,
        name="coalition_partner_relationship",
    ),
    path(
        "organizations/<str:public_id>/cosponsor/",
        views.partner_cosponsor,
        name="coalition_partner_cosponsor",
    ),
    path("endorsements/<str:public_id>/", views.endorsement_detail, name="coalition_endorsement_detail"),
    path("endorsements/<str:public_id>/step/", views.endorsement_step, name="coalition_endorsement_step"),
    path("members/<str:public_id>/end/", views.coalition_member_end, name="coalition_member_end"),
    path("delegates/<str:public_id>/end/", views.coalition_delegate_end, name="coalition_delegate_end"),
    path("<str:public_id>/", views.coalition_detail, name="coalition_detail"),
    path("<str:public_id>/members/", views.coalition_member, name="coalition_detail_member"),
    path("<str:public_id>/delegates/", views.coalition_delegate, name="coalition_detail_delegate"),
    path("<str:public_id>/endorsements/", views.coalition_endorsement, name="coalition_detail_endorsement"),
]
