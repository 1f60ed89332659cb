"""The demo city's voter file imports into the demo's own places and people."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from grassroots.demo.generator import find_demo_city, generate_city
from grassroots.people.models import Person
from grassroots.places.models import Area, AreaKind, Household
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.models import VoterImport, VoterRecord

pytestmark = pytest.mark.django_db


def test_the_demo_voter_file_lands_in_the_demo_city(tmp_path: Path) -> None:
    from grassroots.demo.voterfile import demo_voter_rows, write_demo_voter_file

    generate_city(seed=4, scale=0.05)
    city = find_demo_city()
    assert city is not None
    rows = list(demo_voter_rows(city, seed=4))
    path = tmp_path / "demo-voters.txt"
    text = io.StringIO(newline="")
    assert write_demo_voter_file(city, text, seed=4) == len(rows) > 100
    path.write_text(text.getvalue(), encoding="utf-8")
    before = (Household.objects.count(), Area.objects.count(), Person.objects.count())

    job = run_import(do_create_import(None, file_path=path, file_name=path.name))

    assert job.status == VoterImport.Status.DONE, job.message
    assert (job.layout, job.rows_read, job.created, job.error_count) == ("ny", len(rows), len(rows), 0)
    records = VoterRecord.objects.all()
    assert Counter(records.values_list("party", flat=True)) == Counter(r["party"] for r in rows)
    assert Counter(records.values_list("status", flat=True)) == Counter(r["status"] for r in rows)
    # Every voter lives in one of the demo's own households, inside the demo city, in the
    # election district the file names: no area or household was invented.
    assert (Household.objects.count(), Area.objects.count()) == before[:2]
    assert not records.filter(household__isnull=True).exists()
    assert records.filter(area__path__startswith=city.path).count() == len(rows)
    for record in records.select_related("area")[:50]:
        district = Area.objects.get(kind=AreaKind.ELECTION_DISTRICT, code=record.precinct)
        assert record.area.path.startswith(district.path)
    # Nearly every voter is linked to the demo resident they were made from; the few left
    # (same name and address as a relative, no birth year known) wait in the review queue.
    made_from = {r["voter_id"]: int(r["voter_id"][2:]) for r in rows}
    linked_right = sum(1 for r in records if r.person_id == made_from[r.voter_id])
    assert linked_right >= 0.95 * len(rows)
    assert linked_right == job.people_linked
    assert Person.objects.count() == before[2] + job.people_created
    assert (
        not records.exclude(person_id__in=made_from.values())
        .filter(reviews__isnull=True)
        .exclude(person__created_at__gte=job.created_at)
        .exists()
    )
