"""The API under /api/v2/, and the page where users make their tokens."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from grassroots.api import resources  # noqa: F401  (registers the routes)
from grassroots.api.server import api

urlpatterns = [
    path("api/v2", RedirectView.as_view(url="/api/v2/", permanent=True, query_string=True)),
    path("api/v2/", api.urls),
]
