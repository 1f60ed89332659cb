"""The demo city's voter file: its residents as the state Board of Elections would list them.

Most residents are registered (a few are not, as in any city), with a party and a status in
roughly New York City's shares, and a vote history. The file is written in the New York State
layout, so importing it exercises the same path as a real file: the voters land in the demo's
own households and election districts, and are linked to the demo's people.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, TextIO

from grassroots.demo.layout import ASSEMBLY_DISTRICT
from grassroots.people.models import Person
from grassroots.places.models import Area, AreaKind
from grassroots.voters import samples

REGISTERED = 0.82
PARTIES = (("DEM", 0.64), ("BLK", 0.2), ("REP", 0.1), ("WOR", 0.03), ("CON", 0.02), ("OTH", 0.01))
STATUSES = (("A", 0.9), ("I", 0.08), ("AM", 0.02))
ELECTIONS = ("GE 20241105", "PE 20240625", "GE 20221108", "PE 20220628", "GE 20201103")


def _pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    roll, total = rng.random(), 0.0
    for value, share in pairs:
        total += share
        if roll < total:
            return value
    return pairs[-1][0]


def demo_voter_rows(city: Area, *, seed: int = 1) -> Iterator[dict[str, Any]]:
    """One row for write_ny per registered resident of the demo city, always the same for a seed."""
    rng = random.Random(seed)
    in_city = Area.objects.filter(path__startswith=city.path)
    districts = {a.path: a.code for a in in_city.filter(kind=AreaKind.ELECTION_DISTRICT)}
    people = (
        Person.objects.filter(area__path__startswith=city.path, household__isnull=False, merged_into=None)
        .select_related("household", "area")
        .order_by("pk")
    )
    for person in people.iterator(chunk_size=2000):
        if rng.random() >= REGISTERED:
            continue
        household = person.household
        assert household is not None
        district = next((code for path, code in districts.items() if person.area.path.startswith(path)), "")
        born = person.custom_fields.get("birth_year") or rng.randint(1940, 2006)
        history = [e for e in ELECTIONS if rng.random() < 0.55]
        registered = rng.randint(min(max(born + 18, 1975), 2025), 2025)
        yield {
            "voter_id": f"NY{person.pk:018d}",
            "first_name": person.first_name.upper(),
            "middle_name": person.middle_name.upper(),
            "last_name": person.last_name.upper(),
            "suffix": person.suffix.upper().rstrip("."),
            "birth_date": f"{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            "street_line": household.address_line,
            "unit": household.unit,
            "city": household.city,
            "zip": household.postal_code,
            "county": "Queens",
            "precinct": district,
            "ad": str(ASSEMBLY_DISTRICT),
            "ed": f"{int(district) % 1000:03d}" if district.isdigit() else "",
            "party": _pick(rng, PARTIES),
            "status": _pick(rng, STATUSES),
            "registration_date": f"{registered}0{rng.randint(1, 9)}15",
            "voter_history": ";".join(history),
        }


def write_demo_voter_file(city: Area, stream: TextIO, *, seed: int = 1) -> int:
    """Write the demo city's voter file (New York State layout) to ``stream``; the number of voters."""
    return samples.write_ny(stream, demo_voter_rows(city, seed=seed))
