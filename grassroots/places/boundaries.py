"""Area boundaries from GeoJSON and TopoJSON files: read them, check them, save them into the tree.

``import_areas(path, mapping)`` reads a GeoJSON FeatureCollection or a TopoJSON Topology
(arcs decoded, quantized or not; one of its objects), turns each feature into a boundary
and saves the boundaries as areas of one kind, in one transaction:

- **Checking.** Each feature is numbered from 1 in the file's order. An unclosed ring is
  closed and an invalid polygon (a self-intersection, a bow tie) is repaired with shapely's
  ``make_valid``, keeping its polygonal parts; both are reported as repairs with the feature
  number. A feature without the code property, with a code already seen earlier in the file,
  with a geometry that is not a polygon (or missing, or not longitude/latitude), is reported
  as an error and skipped; the rest is imported. Coordinates are kept to 7 decimals (~1 cm).
- **Upserting.** An area is found by kind and code (the oldest one if several share them, as
  the voter importer does): its geometry, and its name when the file names areas, are updated;
  otherwise it is created, named from the file or "<Kind> <code>". Re-importing a file
  changes nothing and creates nothing.
- **Nesting.** With ``--within KIND`` an area goes under the area of that kind that covers the
  largest share of it (overlap, not centroid: an election district cut by a neighborhood
  boundary goes where most of it lies). Overlaps are measured in degrees of longitude and
  latitude: every candidate for one area lies at about the same latitude, so the ranking is
  the same as on the ground. An area that overlaps none of them goes under ``--parent``, else
  under the closest common ancestor of the candidates (the city the neighborhoods are in),
  else under a top-level "Imported areas". Without ``--within`` areas go under ``--parent``
  or "Imported areas". Import the larger areas first; re-importing the smaller ones nests
  them again. Moving an area rewrites the materialized path of it and everything below it.
- **Households.** A household with coordinates inside the imported areas is located by
  point in polygon in the smallest imported area holding it. It stays where it is when its
  area is already inside that one, or when its area lies in a narrower polygon that also holds
  the point — narrower by the tree's order of kinds (city ... unit), or by size for other kinds
  — so that a household in an election district is not pulled out by a neighborhood import.
  Otherwise, when the household lives in a building (or a unit of one), the building moves
  with everything in it, onto the street of the same name in the new area (created if
  missing), or straight under the area when it was on no street; a building goes where most
  of its households point. A household without a building moves itself, and its people and
  voter records filed at its area move with it. Households without coordinates stay where the
  voter file put them. Streets emptied by these moves are left in place.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry
from grassroots.lib.geo import PolygonIndex, centroid_of, parse_geometry
from grassroots.lib.uploads import HEAD_BYTES, not_text
from grassroots.people.models import Person
from grassroots.places.actions import build_area
from grassroots.places.models import Area, AreaKind, Household, path_segment
from grassroots.voters.models import VoterRecord

# Where areas that belong nowhere else go.
IMPORTED_ROOT_KIND = "imported"
IMPORTED_ROOT_CODE = "imported-areas"
# Coordinates are rounded to this many decimals of a degree (about a centimetre).
PRECISION = 7
BATCH_SIZE = 500
HOUSEHOLD_BATCH = 5000
KIND_PATTERN = re.compile(r"[a-z0-9_-]{1,40}")
CODE_LENGTH = Area._meta.get_field("code").max_length or 64
NAME_LENGTH = Area._meta.get_field("name").max_length or 200


class BoundaryError(Exception):
    """The file or the options cannot be used at all (unlike a bad feature, which is skipped)."""


@dataclass(frozen=True)
class Mapping:
    """How a file's features become areas."""

    kind: str
    code_property: str
    name_property: str = ""
    parent: str = ""  # CODE or KIND:CODE of the area they go under
    within: str = ""  # the kind of area they nest in by overlap
    object_name: str = ""  # the TopoJSON object to read, when there are several


@dataclass
class Feature:
    number: int  # from 1, in the file's order
    properties: dict[str, Any]
    geometry: dict[str, Any] | None
    fault: str = ""  # why the geometry could not be decoded


@dataclass(frozen=True)
class Problem:
    feature: int
    reason: str

    def __str__(self) -> str:
        return f"feature {self.feature}: {self.reason}"


@dataclass
class Boundary:
    number: int
    code: str
    name: str  # empty when the file does not name it
    shape: BaseGeometry
    geojson: str


@dataclass
class ImportReport:
    kind: str
    source: str = ""  # "GeoJSON" or "TopoJSON object NAME"
    features: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    repairs: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    nested: Counter[str] = field(default_factory=Counter)  # parent kind -> areas under it
    households_moved: int = 0
    buildings_moved: int = 0


# --- reading ---------------------------------------------------------------------------------


def read_features(data: Any, object_name: str = "") -> tuple[list[Feature], str]:
    """The features of parsed GeoJSON or TopoJSON, and a description of where they came from."""
    if not isinstance(data, dict):
        raise BoundaryError("The file holds no GeoJSON or TopoJSON object.")
    kind = data.get("type")
    if kind == "Topology":
        name, features = _topology_features(data, object_name)
        return features, f"TopoJSON object {name}"
    if kind == "FeatureCollection":
        items = data.get("features")
        if not isinstance(items, list):
            raise BoundaryError("The FeatureCollection has no list of features.")
        return [_geojson_feature(i, item) for i, item in enumerate(items, 1)], "GeoJSON"
    if kind == "Feature":
        return [_geojson_feature(1, data)], "GeoJSON"
    raise BoundaryError(
        f"Expected a GeoJSON FeatureCollection or a TopoJSON Topology, found {str(kind)[:40]!r}."
    )


def load_features(path: Path, object_name: str = "") -> tuple[list[Feature], str]:
    content = path.read_bytes()
    if reason := not_text(content[:HEAD_BYTES]):
        raise BoundaryError(reason)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"The file is not UTF-8 text (byte {exc.start}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            f"The file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from exc
    except RecursionError:
        raise BoundaryError("The file's JSON is nested too deeply to be GeoJSON or TopoJSON.") from None
    return read_features(data, object_name)


def _geojson_feature(number: int, item: Any) -> Feature:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        return Feature(number, {}, None, fault="it is not a GeoJSON Feature")
    properties = item.get("properties") or {}
    geometry = item.get("geometry")
    if not isinstance(properties, dict):
        return Feature(number, {}, None, fault="its properties are not an object")
    if geometry is not None and not isinstance(geometry, dict):
        return Feature(number, properties, None, fault="its geometry is not an object")
    return Feature(number, properties, geometry)


def _topology_features(topology: dict[str, Any], object_name: str) -> tuple[str, list[Feature]]:
    objects = topology.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise BoundaryError("The topology has no objects.")
    if object_name:
        if object_name not in objects:
            raise BoundaryError(f"The topology has no object {object_name!r}; it has: {', '.join(objects)}.")
        name = object_name
    elif len(objects) == 1:
        (name,) = objects
    else:
        raise BoundaryError(
            f"The topology has several objects ({', '.join(objects)}); choose one with --object."
        )
    arcs = _decode_arcs(topology)
    obj = objects[name]
    if not isinstance(obj, dict):
        raise BoundaryError(f"The topology's object {name!r} is not a geometry.")
    items = obj.get("geometries") if obj.get("type") == "GeometryCollection" else [obj]
    if not isinstance(items, list):
        raise BoundaryError(f"The topology's object {name!r} has no list of geometries.")
    features = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            features.append(Feature(number, {}, None, fault="it is not a TopoJSON geometry"))
            continue
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            features.append(Feature(number, {}, None, fault="its properties are not an object"))
            continue
        try:
            geometry = _topology_geometry(item, arcs)
        except KeyError:
            features.append(Feature(number, properties, None, fault="it has no arcs"))
            continue
        except (IndexError, TypeError, ValueError) as exc:
            features.append(Feature(number, properties, None, fault=f"its arcs cannot be decoded ({exc})"))
            continue
        features.append(Feature(number, properties, geometry))
    return name, features


def _decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Every arc as an array of absolute (lon, lat) positions."""
    transform = topology.get("transform")
    try:
        if transform:
            scale = np.asarray(transform["scale"], dtype=float)
            translate = np.asarray(transform["translate"], dtype=float)
        arcs = []
        for arc in topology.get("arcs") or []:
            positions = np.asarray(arc, dtype=float)[:, :2]
            if transform:
                # Quantized arcs are delta-encoded: each position is the offset from the previous one.
                positions = np.cumsum(positions, axis=0) * scale + translate
            arcs.append(positions)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise BoundaryError(f"The topology's arcs cannot be read ({exc}).") from exc
    return arcs


def _topology_geometry(item: dict[str, Any], arcs: list[np.ndarray]) -> dict[str, Any] | None:
    kind = item.get("type")
    if kind is None:
        return None

    def ring(indexes: Sequence[int]) -> np.ndarray | list[Any]:
        pieces = []
        for i, index in enumerate(indexes):
            if not isinstance(index, int) or isinstance(index, bool):
                raise TypeError(f"arc index {index!r} is not an integer")
            # A negative index ~i is arc i walked backwards.
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            # Consecutive arcs share their joining position.
            pieces.append(arc if i == 0 else arc[1:])
        if not pieces:
            return []
        return np.concatenate(pieces)

    if kind == "Polygon":
        return {"type": kind, "coordinates": [ring(r) for r in item["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[ring(r) for r in polygon] for polygon in item["arcs"]]}
    # Points and lines are not areas: their type is enough to say so.
    return {"type": kind}


# --- checking --------------------------------------------------------------------------------


def check_features(
    features: Iterable[Feature], mapping: Mapping
) -> tuple[list[Boundary], list[Problem], list[Problem]]:
    """The usable boundaries, the repairs made, and the features skipped with their reasons."""
    boundaries: list[Boundary] = []
    repairs: list[Problem] = []
    errors: list[Problem] = []
    seen: dict[str, int] = {}
    for feature in features:
        if feature.fault:
            errors.append(Problem(feature.number, f"skipped: {feature.fault}"))
            continue
        code = _text(feature.properties.get(mapping.code_property))
        if not code:
            errors.append(Problem(feature.number, f"skipped: no {mapping.code_property!r} property"))
            continue
        if len(code) > CODE_LENGTH:
            errors.append(Problem(feature.number, f"skipped: the code {code[:20]!r}… is too long"))
            continue
        if code in seen:
            errors.append(
                Problem(feature.number, f"skipped: duplicate code {code!r} (first in feature {seen[code]})")
            )
            continue
        try:
            shape, notes = clean_geometry(feature.geometry)
        except ValueError as exc:
            errors.append(Problem(feature.number, f"skipped: {exc}"))
            continue
        seen[code] = feature.number
        repairs.extend(Problem(feature.number, f"repaired: {note}") for note in notes)
        name = _text(feature.properties.get(mapping.name_property)) if mapping.name_property else ""
        boundaries.append(Boundary(feature.number, code, name[:NAME_LENGTH], shape, geojson_text(shape)))
    return boundaries, repairs, errors


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def clean_geometry(geometry: dict[str, Any] | None) -> tuple[BaseGeometry, list[str]]:
    """A valid (multi)polygon from a GeoJSON geometry, and the repairs made; ValueError if none can be had."""
    if not geometry:
        raise ValueError("the feature has no geometry")
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"the geometry is a {str(kind)[:40]}, not a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        raise ValueError("the geometry has no coordinates")
    notes: list[str] = []
    polygons = [coordinates] if kind == "Polygon" else coordinates
    shapes = []
    for p, rings in enumerate(polygons, 1):
        if not isinstance(rings, list) or not rings:
            raise ValueError(f"polygon {p} has no rings")
        closed = [
            _ring(ring, p if kind == "MultiPolygon" else 0, r, notes) for r, ring in enumerate(rings, 1)
        ]
        shapes.append(Polygon(closed[0], closed[1:]))
    shape: BaseGeometry = shapes[0] if kind == "Polygon" else MultiPolygon(shapes)
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        shape = _polygonal(shapely.make_valid(shape))
        # Snapping the new vertices to the stored precision keeps the polygon valid (GEOS
        # repairs what snapping would break); then the digits beyond it are dropped.
        shape = _polygonal(shapely.set_precision(shape, 10**-PRECISION))
        shape = shapely.transform(shape, lambda xy: np.round(xy, PRECISION))
        if shape.is_empty:
            raise ValueError(f"the polygon is invalid ({reason}) and cannot be repaired")
        notes.append(f"invalid polygon ({reason}) made valid")
    if shape.is_empty or shape.area == 0:
        raise ValueError("the polygon has no area")
    return shape, notes


def _ring(ring: Any, polygon: int, number: int, notes: list[str]) -> np.ndarray:
    """A ring's positions as (lon, lat) rows rounded to PRECISION, closed if it was open."""
    where = f"ring {number} of polygon {polygon}" if polygon else f"ring {number}"
    try:
        points = np.asarray(ring, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} has positions that are not [longitude, latitude]") from exc
    if points.ndim != 2 or points.shape[1] < 2:
        raise ValueError(f"{where} has positions that are not [longitude, latitude]")
    points = np.round(points[:, :2], PRECISION)
    if not np.isfinite(points).all():
        raise ValueError(f"{where} has positions that are not numbers")
    if (np.abs(points[:, 0]) > 180).any() or (np.abs(points[:, 1]) > 90).any():
        raise ValueError(f"{where} is not in longitude/latitude (WGS84) coordinates")
    if len(points) and (points[0] != points[-1]).any():
        points = np.vstack([points, points[:1]])
        notes.append(f"{where} was not closed")
    if len(points) < 4:
        raise ValueError(f"{where} has fewer than 4 positions")
    return points


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (make_valid may add the lines and points it collapsed)."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts = [
        polygon
        for part in shapely.get_parts(geometry)
        for polygon in (part.geoms if isinstance(part, MultiPolygon) else [part])
        if isinstance(polygon, Polygon) and not polygon.is_empty
    ]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def geojson_text(shape: BaseGeometry) -> str:
    """Compact GeoJSON of a (multi)polygon whose coordinates are already rounded."""
    return str(shapely.to_geojson(shape))


# --- nesting ---------------------------------------------------------------------------------


def largest_overlaps(shapes: Sequence[BaseGeometry], containers: Sequence[BaseGeometry]) -> list[int | None]:
    """For each shape, the index of the container covering the largest part of it, or None.

    One STR-tree over the containers finds the pairs whose polygons meet; only those are
    intersected. A container that holds a shape whole covers all of it without intersecting.
    """
    found: list[int | None] = [None] * len(shapes)
    if not len(shapes) or not len(containers):
        return found
    inner = np.array(shapes, dtype=object)
    outer = np.array(containers, dtype=object)
    shapely.prepare(outer)
    tree = shapely.STRtree(outer)
    source, target = tree.query(inner, predicate="intersects")
    if not len(source):
        return found
    whole = shapely.contains_properly(outer[target], inner[source])
    overlap = np.where(whole, shapely.area(inner[source]), 0.0)
    partial = ~whole
    overlap[partial] = shapely.area(shapely.intersection(inner[source[partial]], outer[target[partial]]))
    # Largest overlap first; among equals the container given first, so the answer is stable.
    order = np.lexsort((target, -overlap, source))
    for i in order:
        s = int(source[i])
        if found[s] is None and overlap[i] > 0:
            found[s] = int(target[i])
    return found


def move_area(area: Area, parent: Area | None) -> None:
    """Put ``area`` under ``parent``, rewriting the path and depth of it and everything below it."""
    old_path = area.path
    new_path = (parent.path if parent else "") + path_segment(area.public_id)
    new_depth = parent.depth + 1 if parent else 0
    if new_path != old_path:
        Area.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - area.depth),
        )
    Area.objects.filter(pk=area.pk).update(parent=parent)
    area.parent, area.path, area.depth = parent, new_path, new_depth


def _find_parent(spec: str) -> Area:
    kind, _, code = spec.partition(":")
    if not code or not KIND_PATTERN.fullmatch(kind):
        kind, code = "", spec
    areas = Area.objects.filter(code=code)
    if kind:
        areas = areas.filter(kind=kind)
    found = list(areas.order_by("pk")[:20])
    if not found:
        raise BoundaryError(f"No area has the code {spec!r}.")
    if len({a.kind for a in found}) > 1:
        kinds = ", ".join(sorted({a.kind for a in found}))
        raise BoundaryError(f"Several kinds of area have the code {code!r} ({kinds}); write KIND:{code}.")
    return found[0]


def _imported_root() -> Area:
    root = Area.objects.filter(parent=None, kind=IMPORTED_ROOT_KIND, code=IMPORTED_ROOT_CODE).first()
    if root is None:
        root = build_area(kind=IMPORTED_ROOT_KIND, name="Imported areas", code=IMPORTED_ROOT_CODE)
        root.save()
    return root


def _common_ancestor(areas: Sequence[Area]) -> Area | None:
    """The deepest area above all of ``areas`` (their parent when they share one), or None."""
    if not areas:
        return None
    paths = [a.path.split("/")[:-1] for a in areas]
    shared = 0
    for segments in zip(*paths, strict=False):
        if any(s != segments[0] for s in segments):
            break
        shared += 1
    shared = min(shared, min(len(p) for p in paths) - 1)  # never one of the areas themselves
    if shared <= 0:
        return None
    return Area.objects.filter(path="".join(s + "/" for s in paths[0][:shared])).first()


def _existing(kind: str, codes: Sequence[str]) -> dict[str, Area]:
    """The areas of this kind with these codes; the oldest where several share a code."""
    found: dict[str, Area] = {}
    for start in range(0, len(codes), BATCH_SIZE):
        chunk = codes[start : start + BATCH_SIZE]
        for area in Area.objects.filter(kind=kind, code__in=chunk).order_by("-pk"):
            found[area.code] = area
    return found


def _choose_parents(
    boundaries: Sequence[Boundary], existing: dict[str, Area], mapping: Mapping, parent: Area | None
) -> list[Area]:
    """The area each boundary goes under."""
    if not mapping.within:
        fallback = parent or _imported_root()
        return [fallback] * len(boundaries)
    candidates_qs = Area.objects.filter(kind=mapping.within).exclude(geometry="").order_by("pk")
    if parent is not None:
        candidates_qs = candidates_qs.filter(path__startswith=parent.path)
    candidates = list(candidates_qs)
    fallback = parent or _common_ancestor(candidates) or _imported_root()
    shapes = [parse_geometry(c.geometry) for c in candidates]
    best = largest_overlaps([b.shape for b in boundaries], shapes)
    parents = []
    for boundary, index in zip(boundaries, best, strict=True):
        chosen = candidates[index] if index is not None else fallback
        own = existing.get(boundary.code)
        if own is not None and chosen.path.startswith(own.path):
            # An area cannot go inside itself: a candidate below it counts as no overlap.
            chosen = fallback
        parents.append(chosen)
    return parents


# --- saving ----------------------------------------------------------------------------------


def import_areas(path: Path, mapping: Mapping) -> ImportReport:
    """Read, check and save the boundaries in a file (see the module's docstring)."""
    if not KIND_PATTERN.fullmatch(mapping.kind):
        raise BoundaryError(f"{mapping.kind!r} is not a kind of area (lowercase letters, digits, _ and -).")
    if mapping.within and mapping.within == mapping.kind:
        raise BoundaryError("Areas cannot nest within areas of their own kind.")
    features, source = load_features(path, mapping.object_name)
    boundaries, repairs, errors = check_features(features, mapping)
    report = ImportReport(
        kind=mapping.kind, source=source, features=len(features), repairs=repairs, errors=errors
    )
    if boundaries:
        do_import_boundaries(boundaries, mapping, report, file_name=path.name)
    return report


@transaction.atomic
def do_import_boundaries(
    boundaries: Sequence[Boundary], mapping: Mapping, report: ImportReport, *, file_name: str = ""
) -> ImportReport:
    """Upsert the boundaries as areas of ``mapping.kind``, nest them, and place the households in them."""
    parent = _find_parent(mapping.parent) if mapping.parent else None
    existing = _existing(mapping.kind, [b.code for b in boundaries])
    if parent is not None and any(parent.path.startswith(a.path) for a in existing.values()):
        raise BoundaryError(f"The area {mapping.parent!r} lies inside one of the areas being imported.")
    parents = _choose_parents(boundaries, existing, mapping, parent)
    kind_label = _kind_label(mapping.kind)

    new: list[Area] = []
    changed: list[Area] = []
    moves: list[tuple[Area, Area]] = []
    for boundary, under in zip(boundaries, parents, strict=True):
        report.nested[under.kind] += 1
        centroid = centroid_of(boundary.shape)
        area = existing.get(boundary.code)
        if area is None:
            area = build_area(
                kind=mapping.kind,
                name=boundary.name or f"{kind_label} {boundary.code}",
                parent=under,
                code=boundary.code,
                geometry=boundary.geojson,
                centroid=centroid,
            )
            new.append(area)
            continue
        dirty = False
        if boundary.name and area.name != boundary.name:
            area.name, dirty = boundary.name, True
        if area.geometry != boundary.geojson:
            area.geometry, dirty = boundary.geojson, True
            area.min_lon, area.min_lat, area.max_lon, area.max_lat = boundary.shape.bounds
            area.centroid_lon, area.centroid_lat = centroid
        if dirty:
            changed.append(area)
        if area.parent_id != under.pk:
            moves.append((area, under))
        if dirty or area.parent_id != under.pk:
            report.updated += 1
        else:
            report.unchanged += 1
    Area.objects.bulk_create(new, batch_size=BATCH_SIZE)
    report.created = len(new)
    fields = ["name", "geometry", "min_lon", "min_lat", "max_lon", "max_lat", "centroid_lon", "centroid_lat"]
    Area.objects.bulk_update(changed, fields, batch_size=BATCH_SIZE)
    _move_all(moves)

    saved = [*new, *(existing[b.code] for b in boundaries if b.code in existing)]
    shapes = {b.code: b.shape for b in boundaries}
    report.households_moved, report.buildings_moved = place_households([(a, shapes[a.code]) for a in saved])
    record_audit(
        None,
        AuditEntry.Verb.UPDATE,
        "areas",
        mapping.kind,
        file=file_name,
        created=report.created,
        updated=report.updated,
        households_moved=report.households_moved,
        buildings_moved=report.buildings_moved,
    )
    return report


def _kind_label(kind: str) -> str:
    try:
        return str(AreaKind(kind).label)
    except ValueError:
        return kind.replace("_", " ").replace("-", " ").capitalize()


def _move_all(moves: Sequence[tuple[Area, Area]]) -> None:
    """Move areas to new parents: leaves in bulk, areas with anything below them one subtree at a time."""
    with_children: set[int] = set()
    ids = [area.pk for area, _ in moves]
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        with_children.update(Area.objects.filter(parent_id__in=chunk).values_list("parent_id", flat=True))
    leaves = []
    for area, parent in moves:
        if area.pk in with_children:
            move_area(area, parent)
        else:
            area.parent, area.path, area.depth = (
                parent,
                parent.path + path_segment(area.public_id),
                parent.depth + 1,
            )
            leaves.append(area)
    Area.objects.bulk_update(leaves, ["parent", "path", "depth"], batch_size=BATCH_SIZE)


# --- households ------------------------------------------------------------------------------


@dataclass
class _Place:
    """What is known of an area a household lives in."""

    pk: int
    path: str
    kind: str
    parent_id: int | None


def place_households(areas: Sequence[tuple[Area, BaseGeometry]]) -> tuple[int, int]:
    """Put the households with coordinates inside ``areas`` under them; (households moved, buildings moved).

    The rules are in the module's docstring.
    """
    if not areas:
        return 0, 0
    # Smallest first: where imported areas overlap, a point goes to the smallest one holding it.
    ordered = sorted(areas, key=lambda pair: (pair[1].area, pair[0].pk))
    index = PolygonIndex((i, shape) for i, (_, shape) in enumerate(ordered))
    bounds = np.array([shape.bounds for _, shape in ordered])
    min_lon, min_lat = bounds[:, 0].min(), bounds[:, 1].min()
    max_lon, max_lat = bounds[:, 2].max(), bounds[:, 3].max()
    households = (
        Household.objects.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
        .order_by("pk")
        .values_list("pk", "area_id", "lon", "lat")
    )
    polygons = _PolygonsAbove()
    building_votes: dict[int, Counter[int | None]] = defaultdict(Counter)
    buildings: dict[int, _Place] = {}
    moved_households: dict[tuple[int, int], list[int]] = defaultdict(list)  # (old, new) area -> households
    for batch in _batches(households.iterator(chunk_size=HOUSEHOLD_BATCH), HOUSEHOLD_BATCH):
        found = index.locate([(lon, lat) for _, _, lon, lat in batch])
        places = _places({area_id for _, area_id, _, _ in batch})
        for (pk, area_id, lon, lat), i in zip(batch, found, strict=True):
            if i is None:
                continue
            target, shape = ordered[i]
            place = places[area_id]
            inside = place.path.startswith(target.path)
            if inside or polygons.finer_holder(place.path, lon, lat, target.kind, shape):
                destination = None
            else:
                destination = i
            building = _building_of(place, places)
            if building is not None:
                buildings[building.pk] = building
                building_votes[building.pk][destination] += 1
            elif destination is not None:
                moved_households[(area_id, target.pk)].append(pk)

    moved_buildings = 0
    streets: dict[tuple[int, str], Area] = {}
    for building_pk, votes in building_votes.items():
        destination, _ = votes.most_common(1)[0]
        if destination is None:
            continue
        _move_building(buildings[building_pk], ordered[destination][0], streets)
        moved_buildings += 1

    for (old, new), ids in moved_households.items():
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            Household.objects.filter(pk__in=chunk).update(area_id=new)
            Person.objects.filter(household_id__in=chunk, area_id=old).update(area_id=new)
            VoterRecord.objects.filter(household_id__in=chunk, area_id=old).update(area_id=new)
    return sum(len(ids) for ids in moved_households.values()), moved_buildings


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _places(ids: set[int]) -> dict[int, _Place]:
    """The areas with these ids, and the parents of the units among them (their buildings)."""
    places = {
        pk: _Place(pk, path, kind, parent_id)
        for pk, path, kind, parent_id in Area.objects.filter(pk__in=ids).values_list(
            "pk", "path", "kind", "parent_id"
        )
    }
    unit_parents = {p.parent_id for p in places.values() if p.kind == AreaKind.UNIT and p.parent_id}
    for pk, path, kind, parent_id in Area.objects.filter(pk__in=unit_parents - places.keys()).values_list(
        "pk", "path", "kind", "parent_id"
    ):
        places[pk] = _Place(pk, path, kind, parent_id)
    return places


def _building_of(place: _Place, places: dict[int, _Place]) -> _Place | None:
    if place.kind == AreaKind.BUILDING:
        return place
    if place.kind == AreaKind.UNIT and place.parent_id in places:
        parent = places[place.parent_id]
        return parent if parent.kind == AreaKind.BUILDING else None
    return None


def _move_building(building: _Place, target: Area, streets: dict[tuple[int, str], Area]) -> None:
    """Move a building (and its units) under ``target``, onto a street of the same name if it was on one."""
    area = Area.objects.select_related("parent").get(pk=building.pk)
    under = target
    if area.parent is not None and area.parent.kind == AreaKind.STREET:
        key = (target.pk, area.parent.name)
        street = streets.get(key)
        if street is None:
            street = (
                target.children.filter(kind=AreaKind.STREET, name=area.parent.name).order_by("pk").first()
            )
            if street is None:
                street = build_area(kind=AreaKind.STREET, name=area.parent.name, parent=target)
                street.save()
            streets[key] = street
        under = street
    move_area(area, under)


# The kinds of the tree from the widest to the narrowest.
KIND_RANK = {kind: rank for rank, kind in enumerate(AreaKind.values)}


def _finer(kind: str, shape: BaseGeometry, than_kind: str, than: BaseGeometry) -> bool:
    """Whether an area is narrower than another: by the tree's order of kinds, else by size."""
    if kind in KIND_RANK and than_kind in KIND_RANK and kind != than_kind:
        return KIND_RANK[kind] > KIND_RANK[than_kind]
    return bool(shape.area < than.area)


class _PolygonsAbove:
    """The polygons of the areas above households, read once per area."""

    def __init__(self) -> None:
        self.shapes: dict[str, tuple[str, BaseGeometry] | None] = {}

    def finer_holder(self, path: str, lon: float, lat: float, kind: str, than: BaseGeometry) -> bool:
        """Whether the nearest area with a polygon at or above ``path`` holds the point and is finer."""
        prefixes = [path[: i + 1] for i, c in enumerate(path) if c == "/"]
        unknown = [p for p in prefixes if p not in self.shapes]
        if unknown:
            for p in unknown:
                self.shapes[p] = None
            found = Area.objects.filter(path__in=unknown).exclude(geometry="")
            for p, area_kind, geometry in found.values_list("path", "kind", "geometry"):
                self.shapes[p] = (area_kind, parse_geometry(geometry))
        for p in reversed(prefixes):
            known = self.shapes[p]
            if known is not None:
                area_kind, shape = known
                return _finer(area_kind, shape, kind, than) and bool(shapely.contains_xy(shape, lon, lat))
        return False
