"""Geometry on plain GeoJSON: bounding boxes, centroids and bulk point-in-polygon.

We keep no spatial database extension: polygons are GeoJSON text and every
question is answered with shapely. Bulk assignment uses an STR-tree over the
polygons' bounding boxes, then an exact containment test on the candidates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# As Django's json_script writes them: markup in a name stays text, whatever reads the JSON.
_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class _HtmlSafeEncoder(DjangoJSONEncoder):
    def encode(self, o: Any) -> str:
        return super().encode(o).translate(_HTML_ESCAPES)


def feature_collection(features: Iterable[dict[str, Any]]) -> JsonResponse:
    """The GeoJSON FeatureCollection a map draws, with <, > and & in its names written as \\u
    escapes: the maps show names as text, and nothing that guesses the type finds markup in it."""
    return JsonResponse({"type": "FeatureCollection", "features": list(features)}, encoder=_HtmlSafeEncoder)


@dataclass(frozen=True)
class Box:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def parse_geometry(geojson: str | dict[str, Any]) -> BaseGeometry:
    data = json.loads(geojson) if isinstance(geojson, str) else geojson
    if data.get("type") == "Feature":
        data = data["geometry"]
    geometry = shape(data)
    if geometry.is_empty:
        raise ValueError("The geometry is empty.")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return geometry


def bbox_of(geometry: BaseGeometry) -> Box:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return Box(min_lon, min_lat, max_lon, max_lat)


def centroid_of(geometry: BaseGeometry) -> tuple[float, float]:
    """A point inside the geometry (lon, lat): the centroid when it lies inside, else a surface point."""
    point = geometry.centroid
    if not geometry.contains(point):
        point = geometry.representative_point()
    return point.x, point.y


def rectangle(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> dict[str, Any]:
    """A GeoJSON polygon for an axis-aligned rectangle (counter-clockwise, closed)."""
    ring = [
        [round(min_lon, 7), round(min_lat, 7)],
        [round(max_lon, 7), round(min_lat, 7)],
        [round(max_lon, 7), round(max_lat, 7)],
        [round(min_lon, 7), round(max_lat, 7)],
        [round(min_lon, 7), round(min_lat, 7)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class PolygonIndex:
    """Answers "which polygon holds this point?" for many points at once.

    Keys are whatever the caller uses to name the polygons (area ids). Where
    polygons overlap, the first one given wins, so callers pass them in a
    deterministic order.
    """

    def __init__(self, polygons: Iterable[tuple[Any, BaseGeometry]]) -> None:
        pairs = list(polygons)
        self.keys: list[Any] = [key for key, _ in pairs]
        self.geometries = np.array([geom for _, geom in pairs], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    def locate(self, points: Sequence[tuple[float, float]]) -> list[Any | None]:
        """The key of the polygon holding each (lon, lat) point, or None where none does."""
        if not len(points):
            return []
        coords = np.asarray(points, dtype=float)
        geoms = shapely.points(coords)
        # The tree filters by bounding box; the predicate is the exact test on the candidates.
        point_idx, poly_idx = self.tree.query(geoms, predicate="intersects")
        found: list[Any | None] = [None] * len(points)
        best = np.full(len(points), len(self.keys), dtype=np.int64)
        np.minimum.at(best, point_idx, poly_idx)
        for i, poly in enumerate(best):
            if poly < len(self.keys):
                found[i] = self.keys[poly]
        return found
