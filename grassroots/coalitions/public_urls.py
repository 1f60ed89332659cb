"""Published endorsements, for anyone: no login (mounted at the site's root)."""

from __future__ import annotations

from django.urls import path

from grassroots.coalitions import views

urlpatterns = [
    path("endorsed/<str:public_id>/", views.endorsement_public, name="endorsement_public"),
]
