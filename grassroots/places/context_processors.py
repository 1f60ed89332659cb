from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def map_settings(request: HttpRequest) -> dict[str, str]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}
