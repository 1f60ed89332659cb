from __future__ import annotations

from django.urls import path

from grassroots.commonground import views

urlpatterns = [
    path("", views.round_list, name="commonground_list"),
    path("new/", views.round_new, name="commonground_new"),
    path("statements/<str:public_id>/vote/", views.statement_vote, name="commonground_statement_vote"),
    path("statements/<str:public_id>/hide/", views.statement_hide, name="commonground_statement_hide"),
    path("<str:public_id>/", views.round_detail, name="commonground_round"),
    path("<str:public_id>/groups/", views.round_groups, name="commonground_round_groups"),
    path("<str:public_id>/statements/", views.round_write, name="commonground_round_write"),
    path("<str:public_id>/close/", views.round_close, name="commonground_round_close"),
    path("<str:public_id>/proposal/", views.round_proposal, name="commonground_round_proposal"),
]
