"""The sample writers and the synthetic North Carolina voters."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Iterator

from grassroots.voters import samples
from grassroots.voters.layouts import RowError, VoterRow, detect_layout, get_layout, nc


def test_synthetic_rows_are_the_same_for_the_same_seed() -> None:
    assert list(samples.synthetic_nc_rows(300, seed=11)) == list(samples.synthetic_nc_rows(300, seed=11))


def test_synthetic_rows_differ_between_seeds() -> None:
    assert list(samples.synthetic_nc_rows(50, seed=1)) != list(samples.synthetic_nc_rows(50, seed=2))


def test_a_longer_run_begins_with_the_shorter_one() -> None:
    assert list(samples.synthetic_nc_rows(1000, seed=5))[:100] == list(samples.synthetic_nc_rows(100, seed=5))


def test_synthetic_rows_are_made_one_at_a_time() -> None:
    rows = samples.synthetic_nc_rows(10**9, seed=0)
    assert isinstance(rows, Iterator)
    assert len(list(itertools.islice(rows, 3))) == 3


def test_synthetic_voters_have_unique_ids_and_realistic_shares() -> None:
    rows = list(samples.synthetic_nc_rows(20_000, seed=9))
    assert len({r["voter_id"] for r in rows}) == len(rows)
    statuses = Counter(r["status"] for r in rows)
    parties = Counter(r["party"] for r in rows)
    assert 0.75 < statuses["A"] / len(rows) < 0.85
    assert set(statuses) <= set(nc.STATUS) and set(parties) <= set(nc.PARTY)
    assert all(0.25 < parties[p] / len(rows) < 0.42 for p in ("UNA", "DEM", "REP"))
    assert len({r["first_name"] for r in rows}) > 150 and len({r["last_name"] for r in rows}) > 150
    streets = {r["street_line"].split(" ", 1)[1] for r in rows}
    assert 200 <= len(streets) <= 400
    assert 0.07 < sum(1 for r in rows if r["unit"]) / len(rows) < 0.13
    assert all(1925 <= r["birth_year"] <= 2007 for r in rows)


def test_synthetic_voters_are_a_valid_north_carolina_file() -> None:
    stream = io.StringIO(newline="")
    assert samples.write_nc(stream, samples.synthetic_nc_rows(3000, seed=4)) == 3000
    text = stream.getvalue()
    assert text.startswith('"county_id"\t"county_desc"') and text.endswith("\r\n")
    assert detect_layout(text.split("\r\n", 1)[0]) is nc.NorthCarolina
    results = list(get_layout("nc").read(io.StringIO(text, newline="")))
    assert not [r for r in results if isinstance(r, RowError)]
    assert sum(1 for r in results if isinstance(r, VoterRow)) == 3000


def test_a_raw_column_name_in_a_row_is_written_as_given() -> None:
    stream = io.StringIO(newline="")
    samples.write_nc(stream, [{"voter_id": "A1", "last_name": "X", "precinct_desc": "FIRE STATION 9"}])
    (row,) = [
        r
        for r in get_layout("nc").read(io.StringIO(stream.getvalue(), newline=""))
        if isinstance(r, VoterRow)
    ]
    assert row.precinct_name == "FIRE STATION 9"
