from __future__ import annotations

from django.urls import path

from grassroots.decisions import views

urlpatterns = [
    path("committee/<str:public_id>/", views.committee_proposals, name="committee_proposals"),
    path("struggle/<str:public_id>/", views.struggle_proposals, name="struggle_proposals"),
    path(
        "amendments/<str:public_id>/decide/",
        views.proposal_amendment_decide,
        name="proposal_amendment_decide",
    ),
    path(
        "objections/<str:public_id>/answer/",
        views.proposal_objection_answer,
        name="proposal_objection_answer",
    ),
    path(
        "objections/<str:public_id>/withdraw/",
        views.proposal_objection_withdraw,
        name="proposal_objection_withdraw",
    ),
    path("<str:public_id>/", views.proposal_detail, name="proposal_detail"),
    path("<str:public_id>/vote/", views.proposal_vote, name="proposal_vote"),
    path("<str:public_id>/open/", views.proposal_open, name="proposal_open"),
    path("<str:public_id>/close/", views.proposal_close, name="proposal_close"),
    path("<str:public_id>/options/", views.proposal_option, name="proposal_option"),
    path("<str:public_id>/amendments/", views.proposal_amend, name="proposal_amend"),
    path("<str:public_id>/comments/", views.proposal_comment, name="proposal_comment"),
]
