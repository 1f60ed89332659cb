"""Writes of places. Every area and household is created through these functions."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from grassroots.lib.addresses import Address
from grassroots.lib.geo import PolygonIndex, bbox_of, centroid_of, parse_geometry
from grassroots.places.models import Area, Household, path_segment


def build_area(
    *,
    kind: str,
    name: str,
    parent: Area | None = None,
    code: str = "",
    geometry: dict[str, Any] | str | None = None,
    sort_key: str = "",
    centroid: tuple[float, float] | None = None,
    attributes: dict[str, Any] | None = None,
) -> Area:
    """An unsaved Area with its path, bounding box and centroid filled in (for bulk loads)."""
    public_id = uuid.uuid4()
    area = Area(
        public_id=public_id,
        kind=kind,
        parent=parent,
        name=name,
        code=code,
        sort_key=sort_key,
        path=(parent.path if parent else "") + path_segment(public_id),
        depth=(parent.depth + 1) if parent else 0,
        attributes=attributes or {},
    )
    if geometry:
        shape = parse_geometry(geometry)
        box = bbox_of(shape)
        area.geometry = geometry if isinstance(geometry, str) else json.dumps(geometry, separators=(",", ":"))
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = (
            box.min_lon,
            box.min_lat,
            box.max_lon,
            box.max_lat,
        )
        area.centroid_lon, area.centroid_lat = centroid or centroid_of(shape)
    elif centroid:
        area.centroid_lon, area.centroid_lat = centroid
    return area


def do_create_area(**kwargs: Any) -> Area:
    area = build_area(**kwargs)
    area.save()
    return area


def polygon_index(areas: Iterable[Area]) -> PolygonIndex:
    """An index of the areas that have polygons, keyed by the Area objects themselves."""
    return PolygonIndex((area, parse_geometry(area.geometry)) for area in areas if area.geometry)


def assign_points(
    points: Sequence[tuple[float, float]], areas: QuerySet[Area] | Iterable[Area]
) -> list[Area | None]:
    """For each (lon, lat) point, the area among ``areas`` whose polygon holds it, or None.

    Bulk: one bounding-box tree over the polygons, then an exact test on the few candidates.
    """
    ordered = sorted(areas, key=lambda a: a.pk or 0)
    return polygon_index(ordered).locate(points)


@transaction.atomic
def resolve_household(address: Address, fallback_area: Area | None) -> Household:
    """The household at this normalized address, created under ``fallback_area`` if new."""
    existing = Household.objects.filter(
        address_line=address.line1, unit=address.unit, postal_code=address.postal_code
    ).first()
    if existing is not None:
        return existing
    if fallback_area is None:
        raise ValueError("A new address needs an area to file it under.")
    return Household.objects.create(
        area=fallback_area,
        address_line=address.line1,
        unit=address.unit,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
    )
