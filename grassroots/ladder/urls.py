from __future__ import annotations

from django.urls import path

from grassroots.ladder import education_views, views

urlpatterns = [
    path("", views.ladder_funnel, name="ladder_funnel"),
    path("update/", views.ladder_update, name="ladder_update"),
    path("queue/", views.ladder_queue, name="ladder_queue"),
    path("queue/<str:public_id>/done/", views.ladder_item_done, name="ladder_item_done"),
    path("queue/<str:public_id>/assign/", views.ladder_item_assign, name="ladder_item_assign"),
    path("rules/", views.ladder_rules, name="ladder_rules"),
    path("stages/new/", views.ladder_stage_new, name="ladder_stage_new"),
    path("stages/<str:public_id>/", views.ladder_stage_edit, name="ladder_stage_edit"),
    path("stages/<str:public_id>/rules/new/", views.ladder_stage_rule_new, name="ladder_stage_rule_new"),
    path("rules/<str:public_id>/", views.ladder_rule_edit, name="ladder_rule_edit"),
    path("rules/<str:public_id>/delete/", views.ladder_rule_delete, name="ladder_rule_delete"),
    path("education/", education_views.education_list, name="education_list"),
    path("education/new/", education_views.education_curriculum_new, name="education_curriculum_new"),
    path(
        "education/sessions/<str:public_id>/groups/new/",
        education_views.education_session_group_new,
        name="education_session_group_new",
    ),
    path("education/groups/<str:public_id>/", education_views.education_group, name="education_group"),
    path(
        "education/groups/<str:public_id>/progress/",
        education_views.education_group_progress,
        name="education_group_progress",
    ),
    path("education/<str:public_id>/", education_views.education_curriculum, name="education_curriculum"),
]
