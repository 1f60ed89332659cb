"""Places: the tree of areas an organization works in, and the households in them."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    NEIGHBORHOOD = "neighborhood", _("Neighborhood")
    ELECTION_DISTRICT = "election_district", _("Election district")
    STREET = "street", _("Street")
    BUILDING = "building", _("Building")
    UNIT = "unit", _("Unit")


# Segment width of the materialized path: 12 hex digits of the area's UUID. Siblings
# would have to collide in 48 bits for two subtrees to mix.
PATH_SEGMENT = 12


def path_segment(public_id: uuid.UUID) -> str:
    return public_id.hex[:PATH_SEGMENT] + "/"


def prefix_end(prefix: str) -> str:
    """The least string greater than every string that starts with ``prefix`` (not empty):
    those strings are the range [prefix, prefix_end(prefix))."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class PathField(models.CharField):
    """A materialized path. ``path__startswith`` ("everything inside") is a range of the index
    on every database: SQLite cannot use an index for Django's ``LIKE ... ESCAPE``, and would
    read every area (or every area a join reaches) for each subtree asked for."""

    def deconstruct(self) -> Any:
        # Stored as the CharField it is: migrations need not know the lookup.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


@PathField.register_lookup
class PathStartsWith(StartsWith):
    lookup_name = "startswith"

    def as_sqlite(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and isinstance(self.rhs, str) and self.rhs:
            lhs, lhs_params = self.process_lhs(compiler, connection)
            params = [*lhs_params, self.rhs, *lhs_params, prefix_end(self.rhs)]
            return f"({lhs} >= %s AND {lhs} < %s)", params
        return super().as_sql(compiler, connection)


class Area(models.Model):
    """One place in the tree: city > neighborhood > election district > street > building > unit.

    ``kind`` is one of AreaKind or any custom slug (e.g. "ward", "housing_development").
    ``path`` is the materialized path of the area's ancestors and itself, so that
    "everything inside this area" is one indexed prefix query on both databases.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.SlugField(max_length=40, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=64, blank=True, db_index=True)
    path = PathField(max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    geometry = models.TextField(blank=True, help_text=_("GeoJSON geometry, WGS84 lon/lat."))
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    # Ordering of siblings for people to read (house numbers, street order).
    sort_key = models.CharField(max_length=64, blank=True)
    # What else is known of the place, e.g. {"arterial": true} for a street canvassers do not cross.
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["sort_key", "name"]
        indexes = [
            models.Index(fields=["parent", "sort_key", "name"]),
            # A child by name (a building on its street, as a voter import finds it): the index
            # above reaches a parent's children but not one of them without its sort key.
            models.Index(fields=["parent", "name"], name="places_area_parent_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        try:
            return str(AreaKind(self.kind).label)
        except ValueError:
            return self.kind.replace("_", " ").capitalize()

    def ancestor_paths(self) -> list[str]:
        """The paths of this area's ancestors, root first (without the area itself)."""
        segments = self.path.split("/")[:-1]
        return ["".join(s + "/" for s in segments[:i]) for i in range(1, len(segments))]

    def ancestors(self) -> models.QuerySet[Area]:
        return Area.objects.filter(path__in=self.ancestor_paths()).order_by("depth")

    def descendants(self, include_self: bool = False) -> models.QuerySet[Area]:
        qs = Area.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def geojson_feature(self) -> dict[str, Any] | None:
        import json

        if not self.geometry:
            return None
        return {
            "type": "Feature",
            "geometry": json.loads(self.geometry),
            "properties": {
                "id": str(self.public_id),
                "name": self.name,
                "kind": self.kind,
                "code": self.code,
            },
        }


class Household(models.Model):
    """The people who share one door: a normalized address and, in apartment buildings, a unit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="households")
    address_line = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["address_line", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["address_line", "unit", "postal_code"], name="household_unique_address"
            )
        ]

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        street = f"{self.address_line} {self.unit}".strip()
        tail = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city.title(), tail) if p)
