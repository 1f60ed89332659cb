from __future__ import annotations

from django.urls import path

from grassroots.voters import views

urlpatterns = [
    path("", views.voter_list, name="voter_list"),
    path("imports/", views.import_list, name="voter_import_list"),
    path("imports/<str:public_id>/", views.import_detail, name="voter_import_detail"),
    path("imports/<str:public_id>/errors.csv", views.import_errors_csv, name="voter_import_errors"),
    path("imports/<str:public_id>/mapping/", views.import_mapping, name="voter_import_mapping"),
    path("reviews/", views.review_list, name="voter_review_list"),
    path("reviews/<str:public_id>/", views.review_decide, name="voter_review_decide"),
    path("<str:public_id>/", views.voter_detail, name="voter_detail"),
]
