"""The plan of the demo city: a street grid, its neighborhoods, election districts and lots.

Pure geometry and arithmetic, no database: positions are in meters east and north of
the city's south-west corner and become longitude/latitude only on the way out.

North-south lines are avenues (some of them boulevards), east-west lines are streets.
Blocks lie between them; election districts are rectangles of whole blocks, so their
boundaries run along street centerlines, and each neighborhood is a rectangle of
blocks split into its own election districts. Buildings stand on lots set back from
the street they face: both long sides of a block face streets, both ends avenues.
House numbers grow eastward along streets (odd on the north side) and northward
along avenues (odd on the east side), a hundred per block, as in Queens.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from grassroots.demo import names
from grassroots.lib.geo import rectangle

CITY_NAME = "Eastbrook"
STATE = "NY"
# The whole demo city lies in one Assembly District; its election districts are keyed as in NYC.
ASSEMBLY_DISTRICT = 36
CENTER_LON, CENTER_LAT = -73.87, 40.75
M_PER_DEG_LAT = 111_045.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTER_LAT))

# At scale 1: 12 x 16 blocks, 3 neighborhoods, about 40 election districts.
BASE_COLS, BASE_ROWS = 12, 16
BASE_NEIGHBORHOODS, BASE_DISTRICTS = 3, 40

SIDEWALK = 4.0  # meters between the curb and the lot line
END_DEPTH = 17.0  # meters of each block end given to the lots that face the avenue
APARTMENT_CHANCE = {True: 0.2, False: 0.03}  # per lot, on arterials and on side streets
VACANT_CHANCE = 0.03

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in meters


@dataclass(frozen=True)
class Street:
    """One line of the grid, named as people say it, as areas show it and as USPS writes it."""

    axis: str  # "ns" for avenues (constant x), "ew" for streets (constant y)
    index: int  # west to east, or south to north
    name: str  # "Elm Avenue"
    label: str  # "Elm Ave"
    usps: str  # "ELM AVE"
    center: float
    width: float
    arterial: bool

    @property
    def order(self) -> tuple[int, int]:
        return (0 if self.axis == "ns" else 1, self.index)


@dataclass(frozen=True)
class District:
    """An election district: a rectangle of blocks, bounded by street centerlines."""

    number: int
    cols: range
    rows: range
    box: Rect

    @property
    def name(self) -> str:
        return f"Election District {self.number}"

    @property
    def code(self) -> str:
        """New York City's key for an election district: Assembly District * 1000 + ED."""
        return str(ASSEMBLY_DISTRICT * 1000 + self.number)


@dataclass(frozen=True)
class Neighborhood:
    index: int
    name: str
    postal_code: str
    cols: range
    rows: range
    box: Rect
    districts: tuple[District, ...]


@dataclass(frozen=True)
class Lot:
    """A building to be: where it stands, the street it faces, and how many homes it holds."""

    street: Street
    number: int
    rect: Rect
    district: District
    units: int = 0  # apartments; 0 for a house
    families: int = 1  # homes in a house (1-3); ignored for apartment buildings
    unit_style: str = "letters"  # "letters" (APT 4B) or "numbers" (APT 402)

    @property
    def address_line(self) -> str:
        return f"{self.number} {self.street.usps}"

    @property
    def center(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.rect
        return (x0 + x1) / 2, (y0 + y1) / 2


@dataclass(frozen=True)
class CityPlan:
    seed: int
    scale: float
    name: str
    state: str
    cols: int
    rows: int
    avenues: tuple[Street, ...]
    streets: tuple[Street, ...]
    neighborhoods: tuple[Neighborhood, ...]
    origin: tuple[float, float] = field(default=(0.0, 0.0))  # lon, lat of (0 m, 0 m)

    @property
    def box(self) -> Rect:
        return (
            self.avenues[0].center,
            self.streets[0].center,
            self.avenues[-1].center,
            self.streets[-1].center,
        )

    @property
    def districts(self) -> list[District]:
        return [d for n in self.neighborhoods for d in n.districts]

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return (
            round(self.origin[0] + x / M_PER_DEG_LON, 7),
            round(self.origin[1] + y / M_PER_DEG_LAT, 7),
        )

    def geometry(self, rect: Rect) -> dict[str, Any]:
        (lon0, lat0), (lon1, lat1) = self.lonlat(rect[0], rect[1]), self.lonlat(rect[2], rect[3])
        return rectangle(lon0, lat0, lon1, lat1)

    def center_lonlat(self, rect: Rect) -> tuple[float, float]:
        """The centre of a rectangle as stored (rounded corners), so the centroid lies inside it."""
        (lon0, lat0), (lon1, lat1) = self.lonlat(rect[0], rect[1]), self.lonlat(rect[2], rect[3])
        return (lon0 + lon1) / 2, (lat0 + lat1) / 2

    def block(self, col: int, row: int) -> Rect:
        """The part of a block inside its sidewalks."""
        west, east = self.avenues[col], self.avenues[col + 1]
        south, north = self.streets[row], self.streets[row + 1]
        return (
            west.center + west.width / 2 + SIDEWALK,
            south.center + south.width / 2 + SIDEWALK,
            east.center - east.width / 2 - SIDEWALK,
            north.center - north.width / 2 - SIDEWALK,
        )

    def street_in(self, street: Street, district: District) -> Rect:
        """The strip of a street inside a district: whole in its middle, half along its edge."""
        x0, y0, x1, y1 = district.box
        half = street.width / 2
        if street.axis == "ns":
            return (max(x0, street.center - half), y0, min(x1, street.center + half), y1)
        return (x0, max(y0, street.center - half), x1, min(y1, street.center + half))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def partition(total: int, parts: int, rng: random.Random) -> list[range]:
    """Cut ``total`` consecutive units into ``parts`` runs of nearly equal, jittered sizes."""
    parts = max(1, min(parts, total))
    sizes = [total // parts] * parts
    for i in rng.sample(range(parts), total % parts):
        sizes[i] += 1
    for _ in range(parts // 2):
        if parts < 2:
            break
        i = rng.randrange(parts - 1)
        give, take = (i, i + 1) if rng.random() < 0.5 else (i + 1, i)
        if sizes[give] > 1 and sizes[give] > sizes[take] - 1:
            sizes[give] -= 1
            sizes[take] += 1
    runs, start = [], 0
    for size in sizes:
        runs.append(range(start, start + size))
        start += size
    return runs


def grid_shape(target: float, width: float, height: float, max_x: int, max_y: int) -> tuple[int, int]:
    """How many columns x rows of cells to cut a width x height rectangle into.

    Close to ``target`` cells, as square as can be.
    """
    best: tuple[float, int, int] = (math.inf, 1, 1)
    for nx in range(1, max_x + 1):
        for ny in range(1, max_y + 1):
            aspect = abs(math.log((width / nx) / (height / ny)))
            score = aspect + 2.5 * abs(nx * ny - target) / max(target, 1)
            best = min(best, (score, nx, ny))
    return best[1], best[2]


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _lines(rng: random.Random, count: int, spacing: tuple[float, float], axis: str) -> tuple[Street, ...]:
    """``count`` grid lines with names, widths and positions."""
    pool = list(names.AVENUE_NAMES if axis == "ns" else names.STREET_NAMES)
    rng.shuffle(pool)
    every = 6
    offset = rng.randrange(1, every)
    lines: list[Street] = []
    position = 0.0
    numbered = 0
    for index in range(count):
        arterial = index % every == offset
        if index < len(pool):
            base = pool[index]
        else:
            numbered += 1
            base = ordinal(numbered + (100 if axis == "ns" else 30))
        if axis == "ns":
            suffix, abbr = ("Boulevard", "Blvd") if arterial else ("Avenue", "Ave")
            width = 32.0 if arterial else 20.0
        else:
            if arterial:
                suffix, abbr = _weighted(rng, [(("Boulevard", "Blvd"), 2), (("Parkway", "Pkwy"), 1)])
            elif index < len(pool):
                suffix, abbr = _weighted(rng, [((s, a), w) for s, a, w in names.STREET_SUFFIXES])
            else:
                suffix, abbr = "Street", "St"
            width = 28.0 if arterial else 16.0
        lines.append(
            Street(
                axis=axis,
                index=index,
                name=f"{base} {suffix}",
                label=f"{base} {abbr}",
                usps=f"{base} {abbr}".upper(),
                center=round(position, 2),
                width=width,
                arterial=arterial,
            )
        )
        position += rng.uniform(*spacing)
    return tuple(lines)


def plan_city(seed: int = 1, scale: float = 1.0) -> CityPlan:
    """The grid, neighborhoods and election districts for a seed and a scale."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    rng = random.Random(f"grassroots-demo:{seed}:plan")
    side = math.sqrt(scale)
    cols = max(4, round(BASE_COLS * side))
    rows = max(4, round(BASE_ROWS * side))
    avenues = _lines(rng, cols + 1, (190.0, 215.0), "ns")
    streets = _lines(rng, rows + 1, (76.0, 88.0), "ew")
    width, height = avenues[-1].center, streets[-1].center
    origin = (
        CENTER_LON - width / 2 / M_PER_DEG_LON,
        CENTER_LAT - height / 2 / M_PER_DEG_LAT,
    )

    target_neighborhoods = max(2, round(BASE_NEIGHBORHOODS * scale))
    target_districts = max(4, round(BASE_DISTRICTS * scale))
    nx, ny = grid_shape(target_neighborhoods, width, height, cols, rows)
    hood_names = list(names.NEIGHBORHOOD_NAMES)
    rng.shuffle(hood_names)
    hoods: list[Neighborhood] = []
    number = 0
    col_runs = partition(cols, nx, rng)
    row_runs = partition(rows, ny, rng)
    for row_run in reversed(row_runs):  # north first, as people read a map
        for col_run in col_runs:
            index = len(hoods)
            box = (
                avenues[col_run.start].center,
                streets[row_run.start].center,
                avenues[col_run.stop].center,
                streets[row_run.stop].center,
            )
            share = len(col_run) * len(row_run) / (cols * rows)
            ex, ey = grid_shape(
                target_districts * share, box[2] - box[0], box[3] - box[1], len(col_run), len(row_run)
            )
            districts: list[District] = []
            ed_cols = partition(len(col_run), ex, rng)
            ed_rows = partition(len(row_run), ey, rng)
            for ed_row in reversed(ed_rows):
                for ed_col in ed_cols:
                    number += 1
                    c = range(col_run.start + ed_col.start, col_run.start + ed_col.stop)
                    r = range(row_run.start + ed_row.start, row_run.start + ed_row.stop)
                    ed_box = (
                        avenues[c.start].center,
                        streets[r.start].center,
                        avenues[c.stop].center,
                        streets[r.stop].center,
                    )
                    districts.append(District(number=number, cols=c, rows=r, box=ed_box))
            name = hood_names[index] if index < len(hood_names) else f"Eastbrook District {index + 1}"
            hoods.append(
                Neighborhood(
                    index=index,
                    name=name,
                    postal_code=f"{11370 + index:05d}",
                    cols=col_run,
                    rows=row_run,
                    box=box,
                    districts=tuple(districts),
                )
            )
    return CityPlan(
        seed=seed,
        scale=scale,
        name=CITY_NAME,
        state=STATE,
        cols=cols,
        rows=rows,
        avenues=avenues,
        streets=streets,
        neighborhoods=tuple(hoods),
        origin=origin,
    )


def _frontage(
    rng: random.Random, start: float, stop: float, arterial: bool
) -> list[tuple[float, float, int]]:
    """Lots along one side of a block: (start, stop, apartment units or 0 for a house)."""
    lots: list[tuple[float, float, int]] = []
    position = start
    while stop - position >= 8.0:
        if rng.random() < APARTMENT_CHANCE[arterial]:
            width = rng.uniform(24.0, 34.0)
            units = rng.randint(12, 40) if arterial else rng.randint(6, 24)
        else:
            width = rng.uniform(9.0, 13.0)
            units = 0
        if position + width > stop:
            width, units = stop - position, 0
            if width > 14.0:
                width = rng.uniform(9.0, 13.0)
        if rng.random() >= VACANT_CHANCE:
            lots.append((position, position + width, units))
        position += width
    return lots


def _house_families(rng: random.Random) -> int:
    return rng.choices((1, 2, 3), weights=(40, 42, 18))[0]


def _unit_style(rng: random.Random) -> str:
    return "letters" if rng.random() < 0.7 else "numbers"


def plan_lots(plan: CityPlan, hood: Neighborhood, rng: random.Random) -> list[Lot]:
    """Every lot with a building in a neighborhood, block by block."""
    lots: list[Lot] = []
    districts = {(c, r): d for d in hood.districts for c in d.cols for r in d.rows}
    for row in hood.rows:
        for col in hood.cols:
            district = districts[(col, row)]
            bx0, by0, bx1, by1 = plan.block(col, row)
            half_depth = (by1 - by0) / 2 - 1.0
            south, north = plan.streets[row], plan.streets[row + 1]
            west, east = plan.avenues[col], plan.avenues[col + 1]

            # The two long sides, facing streets; numbers start at the block's west end.
            for street, facing_south, parity in ((south, True, 1), (north, False, 0)):
                for a, b, units in _frontage(
                    rng, bx0 + END_DEPTH + 1.0, bx1 - END_DEPTH - 1.0, street.arterial
                ):
                    setback = rng.uniform(0.0, 1.0) if units else rng.uniform(2.0, 4.0)
                    depth = min(
                        rng.uniform(18.0, 24.0) if units else rng.uniform(11.0, 15.0), half_depth - setback
                    )
                    if facing_south:
                        rect = (a + 0.5, by0 + setback, b - 0.5, by0 + setback + depth)
                    else:
                        rect = (a + 0.5, by1 - setback - depth, b - 0.5, by1 - setback)
                    number = (col + 1) * 100 + 2 * (int((a - bx0) / 4.0) + 1) + parity
                    lots.append(_lot(rng, street, number, rect, district, units))

            # The two ends, facing avenues; numbers start at the block's south end.
            for avenue, facing_west, parity in ((west, True, 1), (east, False, 0)):
                for a, b, units in _frontage(rng, by0, by1, avenue.arterial):
                    setback = rng.uniform(0.0, 1.0) if units else rng.uniform(1.5, 3.0)
                    depth = END_DEPTH - setback - 0.5
                    if facing_west:
                        rect = (bx0 + setback, a + 0.5, bx0 + setback + depth, b - 0.5)
                    else:
                        rect = (bx1 - setback - depth, a + 0.5, bx1 - setback, b - 0.5)
                    number = (row + 1) * 100 + 2 * (int((a - by0) / 4.0) + 1) + parity
                    lots.append(_lot(rng, avenue, number, rect, district, units))
    return lots


def _lot(rng: random.Random, street: Street, number: int, rect: Rect, district: District, units: int) -> Lot:
    if units:
        return Lot(street, number, rect, district, units=units, families=0, unit_style=_unit_style(rng))
    return Lot(street, number, rect, district, units=0, families=_house_families(rng))


def unit_labels(units: int, style: str, rng: random.Random) -> list[tuple[str, str]]:
    """(label, sort key) of each apartment: "4B" or "402", floor by floor."""
    per_floor = max(rng.choice((2, 3, 4, 4, 5, 6, 6, 8)), math.ceil(units / 8))
    labels: list[tuple[str, str]] = []
    for i in range(units):
        floor, slot = divmod(i, per_floor)
        floor += 1
        if style == "letters":
            labels.append((f"{floor}{chr(ord('A') + slot)}", f"{floor:03d}{slot:03d}"))
        else:
            labels.append((f"{floor}{slot + 1:02d}", f"{floor:03d}{slot:03d}"))
    return labels
