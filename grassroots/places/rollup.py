"""Counts per area from counts per path: each count goes to the nearest of the chosen areas above it.

People are filed under their narrowest area (a building, a unit); a page that shows neighborhoods,
election districts or streets adds them up to those. One grouped query gives counts per path, and
the walk up each path happens here, in Python, over the few thousand distinct paths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, QuerySet

from grassroots.places.models import PATH_SEGMENT, Area

SEGMENT = PATH_SEGMENT + 1  # a path segment and its slash


def roll_up(counts_by_path: Mapping[str, int], areas: Iterable[Area]) -> dict[int, int]:
    """Area id -> the sum of the counts at or inside it (each path counted once, in its nearest area)."""
    wanted = {area.path: area.pk for area in areas}
    counts: Counter[int] = Counter()
    for path, n in counts_by_path.items():
        # Walk up the path, segment by segment, to the nearest area asked for.
        for end in range(len(path), 0, -SEGMENT):
            area_id = wanted.get(path[:end])
            if area_id is not None:
                counts[area_id] += n
                break
    return dict(counts)


def count_by_area(
    queryset: QuerySet[Any], areas: Iterable[Area], field: str = "area__path"
) -> dict[int, int]:
    """Rows of ``queryset`` at or inside each area, in one grouped query."""
    by_path = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    return roll_up(by_path, areas)
