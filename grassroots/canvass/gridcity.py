"""A synthetic grid city for testing and benchmarking the turf cutter: plain data, no database.

Avenues run north-south and streets east-west, both every block; every ``arterial_every``-th
line of each kind (from a seeded offset) is an arterial, wider than the others. Lots line the
four faces of each block; most hold a house of one to three homes, some an apartment building
with many units on several floors. Positions are meters east and north of the south-west
corner. The same seed and door count give the same city, door for door.

Besides the doors and the streets the cutter sees, the city knows the truth a test checks
against: each building's block, and the arterial-bounded district the block lies in.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from grassroots.canvass.turfs import Door, Street

BLOCK_WIDTH = 160.0  # meters east-west between avenue curbs
BLOCK_DEPTH = 76.0  # meters north-south between street curbs
MINOR_WIDTH = 16.0
ARTERIAL_WIDTH = 30.0
SETBACK = 3.0  # meters from the curb to a front door
END_DEPTH = 16.0  # meters of each block end whose lots face the avenue
DOORS_PER_BLOCK = 110  # about, at the default apartment share; sizes the grid for a door count


@dataclass(frozen=True)
class GridCity:
    seed: int
    cols: int
    rows: int
    doors: tuple[Door, ...]
    streets: tuple[Street, ...]
    block_of: dict[str, tuple[int, int]]  # building id -> (column, row) of its block
    district_of: dict[str, tuple[int, int]]  # building id -> its arterial-bounded district

    @property
    def buildings(self) -> int:
        return len(self.block_of)


def _lines(
    count: int, step: float, width: tuple[float, float], every: int, rng: random.Random
) -> list[tuple[float, float, bool]]:
    """(center, width, arterial) of ``count`` grid lines, with a block of ``step`` between curbs."""
    offset = rng.randrange(every)
    lines: list[tuple[float, float, bool]] = []
    position = 0.0
    for index in range(count):
        arterial = index % every == offset
        w = width[1] if arterial else width[0]
        if index:
            position += lines[-1][1] / 2 + step * rng.uniform(0.92, 1.08) + w / 2
        lines.append((position, w, arterial))
    return lines


def make_city(
    doors: int,
    seed: int = 1,
    *,
    arterial_every: int = 4,
    apartment_share: float = 0.06,
    max_units: int = 40,
) -> GridCity:
    """A grid city of exactly ``doors`` doors.

    ``arterial_every`` is the number of blocks between arterials; ``apartment_share`` the
    chance that a lot holds an apartment building of 6 to ``max_units`` units.
    """
    if doors < 1:
        raise ValueError("A grid city needs at least one door.")
    if arterial_every < 1:
        raise ValueError("Arterials must come at least every block.")
    rng = random.Random(f"grassroots-gridcity:{seed}")
    blocks = max(1, math.ceil(doors / DOORS_PER_BLOCK * 1.1))
    cols = max(1, round(math.sqrt(blocks * BLOCK_DEPTH / BLOCK_WIDTH)))
    rows = max(1, math.ceil(blocks / cols))
    every = arterial_every
    avenues = _lines(cols + 1, BLOCK_WIDTH, (MINOR_WIDTH, ARTERIAL_WIDTH), every, rng)
    streets = _lines(rows + 1, BLOCK_DEPTH, (MINOR_WIDTH, ARTERIAL_WIDTH), every, rng)
    west, east = avenues[0][0], avenues[-1][0]
    south, north = streets[0][0], streets[-1][0]
    network = [
        Street(f"ave-{i}", ((x, south), (x, north)), arterial) for i, (x, _, arterial) in enumerate(avenues)
    ] + [Street(f"st-{j}", ((west, y), (east, y)), arterial) for j, (y, _, arterial) in enumerate(streets)]
    arterial_cols = [i for i, line in enumerate(avenues) if line[2]]
    arterial_rows = [j for j, line in enumerate(streets) if line[2]]

    # Buildings, block by block: (id, block, street id, number, x, y of the door, units, families).
    plans: list[list] = []
    for row in range(rows):
        for col in range(cols):
            x0 = avenues[col][0] + avenues[col][1] / 2
            x1 = avenues[col + 1][0] - avenues[col + 1][1] / 2
            y0 = streets[row][0] + streets[row][1] / 2
            y1 = streets[row + 1][0] - streets[row + 1][1] / 2
            faces = (
                (row, y0 + SETBACK, "x", x0 + END_DEPTH, x1 - END_DEPTH, 1),  # south face, odd numbers
                (row + 1, y1 - SETBACK, "x", x0 + END_DEPTH, x1 - END_DEPTH, 0),
                (col, x0 + SETBACK, "y", y0, y1, 1),  # west face
                (col + 1, x1 - SETBACK, "y", y0, y1, 0),
            )
            for line, across, along, start, stop, parity in faces:
                street = f"st-{line}" if along == "x" else f"ave-{line}"
                arterial = (streets if along == "x" else avenues)[line][2]
                position = start
                while stop - position >= 8.0:
                    share = apartment_share * (2.5 if arterial else 1.0)
                    if rng.random() < share:
                        width, units = rng.uniform(22.0, 32.0), rng.randint(6, max_units)
                    else:
                        width, units = rng.uniform(8.0, 12.0), 0
                    width = min(width, stop - position)
                    middle = position + width / 2
                    base = (col + 1 if along == "x" else row + 1) * 100
                    number = base + 2 * int((middle - start) / 4.0) + parity
                    x, y = (middle, across) if along == "x" else (across, middle)
                    families = 0 if units else rng.choices((1, 2, 3), weights=(45, 40, 15))[0]
                    plans.append([f"b{len(plans)}", (col, row), street, number, x, y, units, families])
                    position += width

    # Add or take away homes, one at a time, until the city has exactly the doors asked for.
    total = sum(p[6] or p[7] for p in plans)
    while total != doors:
        plan = plans[rng.randrange(len(plans))]
        if total < doors:
            if plan[6]:
                plan[6] += 1
            elif plan[7] < 3:
                plan[7] += 1
            else:  # a full house becomes a small apartment building
                plan[6], plan[7] = plan[7] + 1, 0
            total += 1
        else:
            if plan[6] > 1:
                plan[6] -= 1
            elif plan[7] > 0:
                plan[7] -= 1
            elif plan[6] == 1:
                plan[6] = 0
            else:
                continue
            total -= 1

    result: list[Door] = []
    block_of: dict[str, tuple[int, int]] = {}
    district_of: dict[str, tuple[int, int]] = {}
    for building, (col, row), street, number, x, y, units, families in plans:
        if not (units or families):
            continue
        block_of[building] = (col, row)
        district_of[building] = (
            sum(1 for c in arterial_cols if c <= col),
            sum(1 for r in arterial_rows if r <= row),
        )
        if units:
            per_floor = max(4, math.ceil(units / 10))
            for u in range(units):
                floor, slot = divmod(u, per_floor)
                result.append(
                    Door(
                        id=f"{building}-{floor + 1}{chr(ord('A') + slot)}",
                        x=round(x, 2),
                        y=round(y, 2),
                        building=building,
                        street=street,
                        number=number,
                        unit=f"{floor + 1}{chr(ord('A') + slot)}",
                        floor=floor + 1,
                    )
                )
        else:
            result.extend(
                Door(
                    id=f"{building}-{f + 1}",
                    x=round(x, 2),
                    y=round(y, 2),
                    building=building,
                    street=street,
                    number=number,
                    unit="" if families == 1 else str(f + 1),
                    floor=f + 1 if families > 1 else 0,
                )
                for f in range(families)
            )
    return GridCity(
        seed=seed,
        cols=cols,
        rows=rows,
        doors=tuple(result),
        streets=tuple(network),
        block_of=block_of,
        district_of=district_of,
    )
