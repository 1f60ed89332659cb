"""The demo city's election returns land in its election districts, every vote placed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grassroots.demo.generator import find_demo_city, generate_city
from grassroots.demo.returns import CONTESTS, write_demo_returns
from grassroots.places.models import Area, AreaKind
from grassroots.results import analysis
from grassroots.results.actions import do_create_import
from grassroots.results.importer import run_import
from grassroots.results.models import Contest, ResultsImport

pytestmark = pytest.mark.django_db

BALLOT_ROWS = {"Public Counter", "Absentee / Military", "Affidavit"}


def test_the_demo_returns_are_placed_and_add_up(tmp_path: Path) -> None:
    generate_city(seed=5, scale=0.05)
    city = find_demo_city()
    assert city is not None
    districts = Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT).count()
    for demo_contest in CONTESTS:
        text = io.StringIO(newline="")
        write_demo_returns(city, demo_contest, text, seed=5)
        path = tmp_path / demo_contest.file_name
        path.write_text(text.getvalue(), encoding="utf-8")
        job = run_import(do_create_import(None, file_path=path, file_name=path.name, format="openelections"))
        assert job.status == ResultsImport.Status.DONE, job.message
        rows = list(csv.DictReader(io.StringIO(text.getvalue())))
        expected = sum(int(r["votes"]) for r in rows if r["candidate"] not in BALLOT_ROWS)
        assert (job.votes_total, job.votes_placed, job.error_count) == (expected, expected, 0)
    assert Contest.objects.count() == 2
    insurgent = CONTESTS[0].candidates[0]
    for contest in Contest.objects.all():
        totals = analysis.contest_totals(contest)
        assert totals.not_placed == 0 and totals.areas_placed == districts
        # Districts differ: the insurgent's share is not the same everywhere.
        shares = [r.share_of(contest.candidates.get(name=insurgent)) for r in analysis.area_results(contest)]
        assert max(shares) - min(shares) > 0.03
    # And she gained between the two primaries: the swing the demo's map is there to show.
    earlier, later = Contest.objects.order_by("election__date")
    swing = analysis.swing(
        earlier, earlier.candidates.get(name=insurgent), later, later.candidates.get(name=insurgent)
    )
    assert len(swing.rows) == districts
    assert swing.overall.swing > 5
