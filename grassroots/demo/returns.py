"""The demo city's election returns: two primaries by election district, as OpenElections lists them.

Each district's ballots follow its voter file (turnout between a quarter and a half of the voters
on the roll), and its leaning follows its neighborhood with some noise of its own, so the map has
places that are strong, weak and in between — and a swing between the two elections to find.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from grassroots.places.models import Area, AreaKind
from grassroots.voters.models import VoterRecord

COLUMNS = ("county", "assembly_district", "precinct", "party", "office", "district", "candidate", "votes")


@dataclass(frozen=True)
class DemoContest:
    file_name: str  # dates and kinds are read from OpenElections file names
    office: str
    district: str
    candidates: tuple[str, str, str]  # the insurgent, the incumbent, a third
    lean: float  # how much better the insurgent does, city-wide, than an even split
    turnout: tuple[float, float]


CONTESTS = (
    DemoContest(
        "20220628__ny__primary__queens__precinct.csv",
        "State Assembly",
        "36",
        ("Rosa Aldana", "Martin Keogh", "Dev Patel"),
        -0.08,
        (0.18, 0.34),
    ),
    DemoContest(
        "20240625__ny__primary__queens__precinct.csv",
        "State Assembly",
        "36",
        ("Rosa Aldana", "Martin Keogh", "Lena Brooks"),
        0.06,
        (0.22, 0.42),
    ),
)


def write_demo_returns(city: Area, contest: DemoContest, stream: TextIO, *, seed: int = 1) -> int:
    """Write one demo contest's returns for every election district of the city; rows written."""
    rng = random.Random(f"{seed}-{contest.file_name}")
    districts = list(
        Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT).order_by("code")
    )
    hoods = {a.path: a for a in Area.objects.filter(path__startswith=city.path, kind=AreaKind.NEIGHBORHOOD)}
    # Seeded by name, not path: paths come from random ids, and the returns must not change run to run.
    hood_lean = {p: random.Random(f"{seed}-{hood.name}").uniform(-0.2, 0.2) for p, hood in hoods.items()}
    on_roll = Counter(
        VoterRecord.objects.filter(area__path__startswith=city.path, on_roll=True, party="DEM").values_list(
            "precinct", flat=True
        )
    )
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = 0
    for district in districts:
        code = district.code
        ad, ed = int(code) // 1000, int(code) % 1000
        voters = on_roll.get(code, 0) or rng.randint(150, 400)
        ballots = int(voters * rng.uniform(*contest.turnout))
        lean = next((hood_lean[p] for p in hoods if district.path.startswith(p)), 0.0)
        insurgent = min(0.9, max(0.1, 0.45 + contest.lean + lean + rng.gauss(0, 0.06)))
        third = rng.uniform(0.04, 0.12)
        shares = (insurgent, max(0.0, 1 - insurgent - third), third)
        counted = [int(ballots * 0.97 * s) for s in shares]
        common = ["Queens", ad, ed, "Democratic", contest.office, contest.district]
        writer.writerow([*common, "Public Counter", int(ballots * 0.9)])
        writer.writerow([*common, "Absentee / Military", ballots - int(ballots * 0.9)])
        writer.writerow([*common, "Affidavit", 0])
        for name, votes in zip(contest.candidates, counted, strict=True):
            writer.writerow([*common, name, votes])
        writer.writerow([*common, "Scattered", rng.randint(0, 2)])
        rows += 7
    return rows
