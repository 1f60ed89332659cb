"""The API under /api/v2/, and the page where users make their tokens."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from grassroots.api import (
    resources,  # noqa: F401  (registers the routes)
    views,
)
from grassroots.api.server import api

urlpatterns = [
    path("api/v2", RedirectView.as_view(url="/api/v2/", permanent=True, query_string=True)),
    path("api/v2/", api.urls),
    path("account/api-tokens/", views.token_list, name="api_tokens"),
    path("account/api-tokens/revoke/", views.token_revoke, name="api_token_revoke"),
]
