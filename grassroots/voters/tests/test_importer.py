"""Importing voter files end to end: each layout, re-imports, removals, bad rows, encodings, resume."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.voters import importer as importer_module
from grassroots.voters import samples
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.models import ImportRowError, VoteHistory, VoterImport, VoterRecord, VoterRecordChange

pytestmark = pytest.mark.django_db

Writer = Callable[[TextIO, Iterable[Mapping[str, Any]]], int]

# Per layout: the writer, and the status and party codes its files use.
LAYOUTS: dict[str, tuple[Writer, list[str], list[str]]] = {
    "nc": (samples.write_nc, ["A", "A", "I", "R", "A", "S"], ["DEM", "REP", "UNA", "DEM", "GRE", "LIB"]),
    "ny": (samples.write_ny, ["A", "A", "I", "P", "A", "AM"], ["DEM", "REP", "BLK", "DEM", "WOR", "GRE"]),
    "fl": (
        samples.write_fl,
        ["ACT", "ACT", "INA", "ACT", "PRE", "ACT"],
        ["DEM", "REP", "NPA", "DEM", "GRE", "LPF"],
    ),
    "oh": (
        samples.write_oh,
        ["ACTIVE", "ACTIVE", "CONFIRMATION", "ACTIVE", "ACTIVE", "CONFIRMATION"],
        ["D", "R", "", "D", "G", "L"],
    ),
}  # fmt: skip

PEOPLE = [
    ("Ana", "Peña", "12 Elm Ave", ""),
    ("Bo", "Chen", "12 Elm Ave", ""),
    ("Carla", "Diaz", "40 Oak St", "Apt 3"),
    ("Dmitri", "Ivanov", "40 Oak St", "Apt 4"),
    ("Efua", "Mensah", "7 Pine Rd", ""),
    ("Farid", "Haddad", "9 Pine Rd", ""),
]


def voter_rows(layout: str) -> list[dict[str, Any]]:
    _, statuses, parties = LAYOUTS[layout]
    rows = []
    for i, ((first, last, street, unit), status, party) in enumerate(
        zip(PEOPLE, statuses, parties, strict=True)
    ):
        row: dict[str, Any] = {
            "first_name": first.upper(),
            "last_name": last.upper(),
            "street_line": street.upper(),
            "unit": unit.upper(),
            "status": status,
            "party": party,
            "birth_date": date(1960 + i, 3, 4),
            "birth_year": 1960 + i,
            # Elm and Oak are in one election district, Pine in another.
            "precinct": (["01-01", "01-02"] if layout != "ny" else ["52012", "52013"])[street.endswith("Rd")],
        }
        if layout == "nc":
            row["voter_id"] = f"AB{i + 1:06d}"
        elif layout == "ny":
            row["voter_id"] = f"NY{i + 1:018d}"
        elif layout == "fl":
            row["voter_id"] = f"{100000001 + i}"
        else:
            row["voter_id"] = f"OH{i + 1:010d}"
        rows.append(row)
    return rows


def write(path: Path, layout: str, rows: Iterable[Mapping[str, Any]], encoding: str = "utf-8") -> Path:
    writer = LAYOUTS[layout][0]
    text = io.StringIO(newline="")
    writer(text, rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def import_file(path: Path, layout: str = "auto", history: Path | None = None) -> VoterImport:
    job = do_create_import(None, file_path=path, file_name=path.name, layout=layout, history_path=history)
    return run_import(job)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_imports_with_the_counts_the_file_holds(tmp_path: Path, layout: str) -> None:
    rows = voter_rows(layout)
    path = write(tmp_path / f"{layout}.txt", layout, rows)
    out = io.StringIO()
    call_command("import", "voters", str(path), stdout=out)  # the layout is detected
    job = VoterImport.objects.get()
    assert job.status == VoterImport.Status.DONE, job.message
    assert job.layout == layout
    assert (job.rows_read, job.created, job.error_count) == (6, 6, 0)
    assert "6 new" in out.getvalue()
    records = VoterRecord.objects.filter(state=layout.upper())
    assert Counter(records.values_list("status", flat=True)) == Counter(r["status"] for r in rows)
    assert Counter(records.values_list("party", flat=True)) == Counter(r["party"] for r in rows)
    ana = records.get(voter_id=rows[0]["voter_id"])
    born = ana.birth_year or (ana.birth_date.year if ana.birth_date else None)
    assert (ana.first_name, ana.last_name, born) == ("ANA", "PEÑA", 1960)
    assert ana.raw, "the raw row is kept"
    # Every voter lives in a household, in a building, on a street, in its election district.
    assert ana.household is not None
    building = ana.household.area
    assert building.kind == "building"
    assert [a.kind for a in building.ancestors()][-2:] == ["election_district", "street"]
    # Ana and Bo share one household; the two Oak St apartments are two households in one building.
    bo = records.get(voter_id=rows[1]["voter_id"])
    assert bo.household_id == ana.household_id
    carla, dmitri = records.get(voter_id=rows[2]["voter_id"]), records.get(voter_id=rows[3]["voter_id"])
    assert carla.household_id != dmitri.household_id
    assert carla.household and dmitri.household
    assert carla.household.area_id == dmitri.household.area_id
    # Each voter became a person, scoped by the voter's area.
    assert Person.objects.count() == 6
    assert ana.person is not None and ana.person.area_id == ana.area_id


def test_codes_are_decoded_for_display_and_kept_raw(tmp_path: Path) -> None:
    path = write(tmp_path / "nc.txt", "nc", voter_rows("nc"))
    import_file(path)
    record = VoterRecord.objects.get(voter_id="AB000001")
    assert record.party == "DEM"
    assert record.raw["party_cd"] == "DEM"
    assert record.label("party") == "Democratic"
    assert record.label("status") != "A"
    assert record.raw["race_code"] == record.race
    assert record.label("county") == "Wake" or record.label("county").upper() == "WAKE"


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "nc.txt", "nc", voter_rows("nc"))
    import_file(path)
    before = (
        VoterRecord.objects.count(),
        Household.objects.count(),
        Area.objects.count(),
        Person.objects.count(),
    )
    changed_at = sorted(VoterRecord.objects.values_list("updated_at", flat=True))
    second = import_file(path)
    assert (second.created, second.updated, second.unchanged, second.removed) == (0, 0, 6, 0)
    after = (
        VoterRecord.objects.count(),
        Household.objects.count(),
        Area.objects.count(),
        Person.objects.count(),
    )
    assert after == before
    assert sorted(VoterRecord.objects.values_list("updated_at", flat=True)) == changed_at
    assert not VoterRecordChange.objects.exists()


def test_a_newer_file_updates_changed_rows_and_marks_missing_ones_removed(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    import_file(write(tmp_path / "old.txt", "nc", rows))
    newer = [dict(r) for r in rows[:5]]  # Farid left the roll
    newer[0]["party"] = "UNA"  # Ana changed party
    newer[2]["street_line"], newer[2]["unit"] = "7 PINE RD", ""  # Carla moved in with Efua
    newer.append({**rows[0], "voter_id": "AB000099", "first_name": "GRACE", "last_name": "OKAFOR"})
    job = import_file(write(tmp_path / "new.txt", "nc", newer))
    assert (job.created, job.updated, job.unchanged, job.removed) == (1, 2, 3, 1)

    farid = VoterRecord.objects.get(voter_id="AB000006")
    assert not farid.on_roll and farid.removed_at is not None  # kept, never deleted
    ana = VoterRecord.objects.get(voter_id="AB000001")
    assert ana.party == "UNA"
    assert ana.changes.get().changes["party"] == ["DEM", "UNA"]
    carla = VoterRecord.objects.get(voter_id="AB000003")
    efua = VoterRecord.objects.get(voter_id="AB000005")
    assert carla.household_id == efua.household_id
    assert VoterRecord.objects.count() == 7

    # Farid comes back in a later file: he is on the roll again.
    job = import_file(write(tmp_path / "later.txt", "nc", [*newer, rows[5]]))
    assert (job.created, job.updated, job.removed) == (0, 1, 0)
    farid.refresh_from_db()
    assert farid.on_roll and farid.removed_at is None


def test_a_voter_whose_row_is_refused_in_a_newer_file_stays_on_the_roll(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    import_file(write(tmp_path / "old.txt", "nc", rows))
    newer = [dict(r) for r in rows[:5]]  # Farid left the roll
    newer[1]["registration_date"] = "13/45/2020"  # Bo is in the file, his row unreadable
    job = import_file(write(tmp_path / "new.txt", "nc", newer))
    assert [e.line for e in job.row_errors.all()] == [3]
    assert job.removed == 1
    assert {r.voter_id: r.on_roll for r in VoterRecord.objects.all()} == {
        "AB000001": True, "AB000002": True, "AB000003": True, "AB000004": True, "AB000005": True,
        "AB000006": False,
    }  # fmt: skip


def test_a_refused_row_keeps_its_voter_on_the_roll_when_the_import_is_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(samples.synthetic_nc_rows(25, seed=3))
    import_file(write(tmp_path / "old.txt", "nc", rows))
    rows[2]["registration_date"] = "13/45/2020"  # line 4, in the part committed before the kill
    path = write(tmp_path / "new.txt", "nc", rows)
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 10)
    job = do_create_import(None, file_path=path, file_name=path.name)

    def die_after_two_batches(progress_job: VoterImport) -> None:
        if progress_job.rows_read >= 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(job, progress=die_after_two_batches)
    call_command("import", "voters", "--resume", str(job.public_id), stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == VoterImport.Status.DONE
    assert (job.error_count, job.removed) == (1, 0)
    assert VoterRecord.objects.get(voter_id=rows[2]["voter_id"]).on_roll
    assert VoterRecord.objects.filter(on_roll=True).count() == 25


def test_removals_only_touch_the_counties_the_file_covers(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    durham = [{**r, "voter_id": f"DU{i}", "county": "DURHAM"} for i, r in enumerate(rows)]
    import_file(write(tmp_path / "durham.txt", "nc", durham))
    job = import_file(write(tmp_path / "wake.txt", "nc", rows))
    assert job.removed == 0
    assert VoterRecord.objects.filter(on_roll=True).count() == 12


def test_bad_rows_are_reported_with_their_line_and_the_rest_imports(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    rows[1]["registration_date"] = "13/45/2020"  # line 3: unreadable date
    rows[3]["party_cd"] = "XYZ"  # line 5: unknown code
    path = write(tmp_path / "nc.txt", "nc", rows)
    lines = path.read_bytes().split(b"\r\n")
    lines.insert(3, b'"only"\t"three"\t"fields"')  # line 4: wrong number of fields
    lines.insert(6, b'"AB0001"\t"broken' + b"\t" * 70)  # line 7: broken quoting
    path.write_bytes(b"\r\n".join(lines))
    job = import_file(path)
    assert job.status == VoterImport.Status.DONE
    errors = {e.line: e.reason for e in job.row_errors.all()}
    assert set(errors) == {3, 4, 6, 7}, errors
    assert "date" in errors[3].lower()
    assert "field" in errors[4].lower()
    assert "XYZ" in errors[6]
    assert job.created == 4 == VoterRecord.objects.count()
    assert job.error_count == 4


def test_a_voter_id_twice_in_one_file_is_an_error_not_a_duplicate(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    rows.append({**rows[0], "first_name": "ANNA"})
    job = import_file(write(tmp_path / "nc.txt", "nc", rows))
    assert VoterRecord.objects.count() == 6
    assert [(e.line, "more than once" in e.reason) for e in job.row_errors.all()] == [(8, True)]


def test_a_latin_1_file_is_read_as_latin_1(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    rows[2]["last_name"] = "MUÑOZ"
    path = write(tmp_path / "nc.txt", "nc", rows, encoding="latin-1")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    job = import_file(path)
    assert job.status == VoterImport.Status.DONE, job.message
    assert job.encoding in {"cp1252", "latin-1"}
    assert VoterRecord.objects.get(voter_id="AB000003").last_name == "MUÑOZ"
    assert VoterRecord.objects.get(voter_id="AB000001").last_name == "PEÑA"


@pytest.mark.parametrize(
    ("content", "layout", "message"),
    [
        (b"", "auto", "empty"),
        (b"name,address\r\nAna,12 Elm\r\n", "auto", "none of the known layouts"),
        (None, "fl", "does not look like"),  # a North Carolina file said to be Florida's
    ],
)
def test_a_wrong_or_empty_file_fails_clearly_before_writing(
    tmp_path: Path, content: bytes | None, layout: str, message: str
) -> None:
    path = tmp_path / "voters.txt"
    if content is None:
        write(path, "nc", voter_rows("nc"))
    else:
        path.write_bytes(content)
    job = import_file(path, layout=layout)
    assert job.status == VoterImport.Status.FAILED
    assert message in job.message
    assert not VoterRecord.objects.exists()
    assert not Area.objects.exists()
    with pytest.raises(CommandError, match=message):
        call_command("import", "voters", str(path), "--layout", layout, stdout=io.StringIO())


def test_history_is_stored_per_election_once(tmp_path: Path) -> None:
    rows = voter_rows("nc")
    path = write(tmp_path / "nc.txt", "nc", rows)
    history = tmp_path / "ncvhis.txt"
    with open(history, "w", newline="") as out:
        samples.write_nc_history(out, rows[:3])
    job = import_file(path, history=history)
    assert job.history_rows == 3
    ana = VoterRecord.objects.get(voter_id="AB000001")
    assert ana.history.count() == 1
    import_file(path, history=history)
    assert VoteHistory.objects.count() == 3


def test_ohio_history_comes_from_the_voter_file(tmp_path: Path) -> None:
    rows = voter_rows("oh")
    rows[0]["history"] = {"GENERAL-11/08/2022": "X", "PRIMARY-03/19/2024": "D"}
    job = import_file(write(tmp_path / "oh.txt", "oh", rows))
    assert job.history_rows == 2
    ana = VoterRecord.objects.get(voter_id=rows[0]["voter_id"])
    assert sorted(h.election_date.year for h in ana.history.all()) == [2022, 2024]


def test_an_interrupted_import_resumes_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(samples.synthetic_nc_rows(25, seed=3))
    path = write(tmp_path / "nc.txt", "nc", rows)
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 10)
    job = do_create_import(None, file_path=path, file_name=path.name)

    def die_after_two_batches(progress_job: VoterImport) -> None:
        if progress_job.rows_read >= 20:
            raise KeyboardInterrupt  # the process is killed between batches

    with pytest.raises(KeyboardInterrupt):
        run_import(job, progress=die_after_two_batches)
    job.refresh_from_db()
    assert job.lines_done == 21 and VoterRecord.objects.count() == 20
    call_command("import", "voters", "--resume", str(job.public_id), stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == VoterImport.Status.DONE
    assert (job.rows_read, job.created) == (25, 25)
    assert VoterRecord.objects.count() == 25 == Person.objects.count()
    # Running the whole file again instead of resuming creates nothing either.
    again = import_file(path)
    assert (again.created, again.unchanged) == (0, 25)


def test_resuming_with_an_id_that_is_not_one_says_so() -> None:
    with pytest.raises(CommandError, match="“not-a-uuid” is not an import id"):
        call_command("import", "voters", "--resume", "not-a-uuid", stdout=io.StringIO())


def test_a_mapped_csv_imports_with_a_saved_mapping(tmp_path: Path) -> None:
    from grassroots.voters.models import ColumnMapping

    path = tmp_path / "list.csv"
    path.write_text(
        "ID,First,Last,Address,Zip,Born,Party\n"
        "X1,Ana,Peña,12 Elm Ave,11201,1980-04-02,DEM\n"
        "X2,Bo,Chen,12 Elm Ave,11201,1981-05-06,REP\n"
        "X3,Carla,Diaz,40 Oak St,11201,someday,DEM\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping.objects.create(
        name="county list",
        state="NY",
        date_format="%Y-%m-%d",
        mapping={
            "voter_id": "ID", "first_name": "First", "last_name": "Last", "street_line": "Address",
            "postal_code": "Zip", "birth_date": "Born", "party": "Party",
        },
    )  # fmt: skip
    job = do_create_import(None, file_path=path, file_name=path.name, layout="csv", mapping=mapping)
    job = run_import(job)
    assert job.status == VoterImport.Status.DONE, job.message
    assert job.created == 2
    assert [(e.line, "date" in e.reason.lower()) for e in ImportRowError.objects.all()] == [(4, True)]
    assert VoterRecord.objects.get(voter_id="X1").birth_date == date(1980, 4, 2)


def test_a_mapped_csv_with_a_byte_order_mark_and_cp1252_letters_imports(tmp_path: Path) -> None:
    from grassroots.voters.models import ColumnMapping

    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbfID;Pr\xe9nom;Nom\r\nX1;Zo\xe9;Lef\xe8vre\r\nX2;Ana;Pe\xf1a\r\n")
    mapping = ColumnMapping.objects.create(
        name="list",
        state="NY",
        delimiter=";",
        mapping={"voter_id": "ID", "first_name": "Prénom", "last_name": "Nom"},
    )
    job = run_import(
        do_create_import(None, file_path=path, file_name=path.name, layout="csv", mapping=mapping)
    )
    assert job.status == VoterImport.Status.DONE, job.message
    assert (job.encoding, job.created, job.error_count) == ("cp1252", 2, 0)
    assert sorted(VoterRecord.objects.values_list("first_name", "last_name")) == [
        ("Ana", "Peña"),
        ("Zoé", "Lefèvre"),
    ]


def _constraints() -> Iterator[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    """(table, name, introspected details, the columns the import defers) of every constraint and
    index of the tables an import writes (importer.DEFERRABLE_INDEXES)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model, columns in importer_module.DEFERRABLE_INDEXES.items():
            table = model._meta.db_table
            for name, about in connection.introspection.get_constraints(cursor, table).items():
                yield table, name, about, columns


def _deferred_indexes() -> set[str]:
    """The plain indexes of those tables that cover only the columns the import defers."""
    return {
        name
        for _, name, about, columns in _constraints()
        if about["index"] and not about["unique"] and not about["primary_key"]
        and about["columns"] and set(about["columns"]) <= set(columns)
    }  # fmt: skip


# Committed batches, as a real import has: PostgreSQL builds no index in a transaction with
# foreign keys still to check.
@pytest.mark.django_db(transaction=True)
def test_a_large_file_builds_the_deferred_indexes_once_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexes = _deferred_indexes()
    assert indexes
    path = write(tmp_path / "nc.txt", "nc", voter_rows("nc"))
    monkeypatch.setattr(importer_module, "DEFER_INDEXES_BYTES", 0)
    monkeypatch.setattr(importer_module, "MAX_LINE_BYTES", 1)  # "the file holds more than is stored"
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 2)
    during: list[set[str]] = []
    job = do_create_import(None, file_path=path, file_name=path.name)
    job = run_import(job, progress=lambda _: during.append(_deferred_indexes()))
    assert job.status == VoterImport.Status.DONE, job.message
    assert during[0] == set(), "dropped while the rows went in"
    assert _deferred_indexes() == indexes
    assert VoterRecord.objects.count() == 6 == Person.objects.count()


def test_indexes_left_dropped_by_a_killed_import_are_built_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.voters.bulk import deferred_indexes

    indexes = _deferred_indexes()
    context = deferred_indexes(importer_module.DEFERRABLE_INDEXES, defer=True)
    context.__enter__()  # and never left, as when the process is killed
    assert _deferred_indexes() == set()
    import_file(write(tmp_path / "nc.txt", "nc", voter_rows("nc")))
    assert _deferred_indexes() == indexes


def _foreign_keys() -> set[tuple[str, str]]:
    """(table, column) of every foreign-key constraint of those tables."""
    return {
        (table, column)
        for table, _, about, _ in _constraints()
        if about["foreign_key"]
        for column in about["columns"]
    }


@pytest.mark.django_db(transaction=True)
def test_a_large_load_on_postgresql_checks_its_foreign_keys_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    keys = _foreign_keys()
    assert ("voters_voterrecord", "person_id") in keys
    path = write(tmp_path / "nc.txt", "nc", voter_rows("nc"))
    monkeypatch.setattr(importer_module, "DEFER_INDEXES_BYTES", 0)
    monkeypatch.setattr(importer_module, "MAX_LINE_BYTES", 1)
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 2)
    during: list[set[tuple[str, str]]] = []
    job = do_create_import(None, file_path=path, file_name=path.name)
    job = run_import(job, progress=lambda _: during.append(_foreign_keys()))
    assert job.status == VoterImport.Status.DONE, job.message
    # SQLite checks keys as rows go in, whatever the import does; PostgreSQL's are dropped.
    assert during[0] == (set() if connection.vendor == "postgresql" else keys)
    assert _foreign_keys() == keys
    # Added back and validated: they hold again.
    record = VoterRecord.objects.first()
    assert record is not None
    with pytest.raises(IntegrityError), transaction.atomic():  # checked when it commits
        VoterRecord.objects.filter(pk=record.pk).update(person_id=10**9)


@pytest.mark.django_db(transaction=True)
def test_foreign_keys_left_dropped_by_a_killed_import_are_added_back_by_the_next(tmp_path: Path) -> None:
    from django.db import connection

    from grassroots.voters.bulk import deferred_foreign_keys

    keys = _foreign_keys()
    context = deferred_foreign_keys(list(importer_module.DEFERRABLE_INDEXES), defer=True)
    context.__enter__()  # and never left, as when the process is killed
    assert _foreign_keys() == (set() if connection.vendor == "postgresql" else keys)
    import_file(write(tmp_path / "nc.txt", "nc", voter_rows("nc")))
    assert _foreign_keys() == keys


def test_streets_forgotten_to_save_memory_are_found_again_not_made_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(samples.synthetic_nc_rows(400, seed=5))
    path = write(tmp_path / "nc.txt", "nc", rows)
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 25)
    monkeypatch.setattr(importer_module, "STREET_CACHE", 8)  # forgets districts every batch
    job = import_file(path)
    assert (job.status, job.created) == (VoterImport.Status.DONE, 400)
    streets = Counter(Area.objects.filter(kind="street").values_list("parent_id", "name"))
    buildings = Counter(Area.objects.filter(kind="building").values_list("parent_id", "name"))
    assert streets and max(streets.values()) == 1
    assert buildings and max(buildings.values()) == 1
    # Every voter lives in a building on the street its address names, inside its precinct.
    for record in VoterRecord.objects.select_related("area__parent__parent", "household")[:100]:
        if record.household_id is None:
            continue
        building, household = record.area, record.household
        assert building is not None and household is not None and building.parent is not None
        street = building.parent
        assert street.parent is not None
        assert building.kind == "building" and building.name == household.address_line
        assert street.kind == "street" and street.parent.code == record.precinct
        assert building.path.startswith(street.path)
    # A second file with the same addresses makes no street or building again.
    fresh = [dict(row, voter_id=f"N{row['voter_id']}") for row in rows]
    again = import_file(write(tmp_path / "nc2.txt", "nc", fresh))
    assert again.created == 400
    assert Area.objects.filter(kind="street").count() == len(streets)
    assert Area.objects.filter(kind="building").count() == len(buildings)
