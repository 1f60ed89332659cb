"""Importing a voter file: stream it, batch it, and write what changed.

``run_import(voter_import)`` reads the file through its layout in batches. Each batch
is one transaction: new voters are created with their household and areas, changed
voters are updated (the change kept in VoterRecordChange), unchanged ones only noted
as seen. The import row's ``lines_done`` moves with each committed batch, so a killed
import resumes where it stopped, and re-running a whole file creates nothing twice.
When the file is done, voters of the same state and counties that the file no longer
holds are marked removed from the roll (never deleted), the history file is read,
and the new voter records are linked to people (voters.linking); when no one is
waiting to be matched, each new record is given its own person as it is saved.

New rows go in as plain tuples (voters.bulk: COPY on PostgreSQL, executemany on
SQLite), not model instances; a batch keeps each row's raw columns encoded, not as a
dict, and the caches of places are bounded: a file of any size imports in flat memory.
A large first load builds the indexes it does not read once it is done, and on
PostgreSQL checks its foreign keys then, once, not row by row.

What a row needs before the database (splitting and decoding it, checking its lengths,
hashing and encoding it, normalizing its address and phone: read_batches) runs, for a
large file on a machine with a second core, in a process of its own that reads ahead of
the writing (lib.ahead), its batches crossing as plain tuples; the database work stays
in one process and one transaction per batch, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import operator
import sys
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

import orjson
from django.db import models, transaction
from django.utils import timezone

from grassroots.lib.addresses import AddressError, StreetNormalizer
from grassroots.lib.ahead import can_read_ahead, read_ahead
from grassroots.lib.collector import fewer_collections
from grassroots.lib.uploads import UploadRefused, check_text_file
from grassroots.people.models import Person, PhoneNumber
from grassroots.places.actions import build_area
from grassroots.places.models import Area, Household, path_segment
from grassroots.voters.bulk import (
    EncodedJson,
    deferred_foreign_keys,
    deferred_indexes,
    import_settings,
    insert_rows,
    listed,
    matching,
)
from grassroots.voters.layouts import detect_layout, get_layout, open_voter_file, text_stream
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow
from grassroots.voters.linking import voter_phone
from grassroots.voters.models import ImportRowError, VoteHistory, VoterImport, VoterRecord, VoterRecordChange

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
# A file with this much left to read is read in a process of its own, ahead of the writing
# (lib.ahead), where the machine has a core for it: a few seconds of work or more.
READ_AHEAD_BYTES = 4 * 1024 * 1024
RAW_ERROR_CHARS = 300
VOTER_ID_CHARS = 40  # ImportRowError.voter_id and VoterRecord.voter_id
# A file of this size or more that adds more voter records than are stored builds the
# indexes of DEFERRABLE_INDEXES once it is loaded. Its records are counted from its size
# and MAX_LINE_BYTES, the most a voter file's line takes (it is the fewest it can hold).
DEFER_INDEXES_BYTES = 32 * 1024 * 1024
MAX_LINE_BYTES = 1000
# The indexes no step of an import reads while its rows go in (names, codes, the links of
# records and people to their places and imports, read by the steps after the rows, once
# the indexes are back): per model, the columns they cover.
DEFERRABLE_INDEXES: dict[type[models.Model], tuple[str, ...]] = {
    VoterRecord: (
        "last_name", "first_name", "status", "party", "precinct", "state", "county", "area_id",
        "household_id", "person_id", "first_import_id", "last_seen_import_id",
    ),
    Person: ("last_name", "first_name", "area_id", "household_id", "merged_into_id", "id"),
    Household: ("area_id",),
    PhoneNumber: ("number", "person_id"),
}  # fmt: skip
# Streets known by (district, name) are kept in memory up to this many; past it, the districts
# used least recently are forgotten (and read again if seen again): memory stays flat however
# large the file. A state's districts times its streets fit in it for most files.
STREET_CACHE = 250_000

# The fields of a VoterRecord that come from the file; a change in any is kept in history.
RECORD_FIELDS = (
    "first_name", "middle_name", "last_name", "suffix", "birth_date", "birth_year", "gender", "race",
    "ethnicity", "status", "status_reason", "party", "registration_date", "street_line", "unit", "city",
    "residence_state", "postal_code", "county", "precinct", "precinct_name", "districts", "phone", "email",
)  # fmt: skip


# The fields of a new record read from its row: all but the districts, which come encoded.
_FROM_ROW = tuple(name for name in RECORD_FIELDS if name != "districts")
_record_values = operator.attrgetter(*_FROM_ROW)


def _text_limits(model: type[models.Model], names: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """(field, max_length) of the text columns among ``names``."""
    return tuple(
        (name, field.max_length)
        for name in names
        if isinstance(field := model._meta.get_field(name), models.CharField) and field.max_length
    )


_RECORD_LIMITS = _text_limits(VoterRecord, ("voter_id", *RECORD_FIELDS))
_HISTORY_LIMITS = _text_limits(VoteHistory, ("voter_id", "election_type", "method", "party"))


def too_long(row: VoterRow | HistoryRow) -> RowError | None:
    """A RowError when a value of the row is longer than its column holds: a damaged row, which
    PostgreSQL would refuse with the whole batch (SQLite would keep it whole)."""
    for name, limit in _HISTORY_LIMITS if isinstance(row, HistoryRow) else _RECORD_LIMITS:
        value = getattr(row, name)
        if isinstance(value, str) and len(value) > limit:
            # The voter id is kept when it is whole: that voter is in the file all the same.
            voter_id = row.voter_id if isinstance(row, VoterRow) and name != "voter_id" else ""
            return RowError(
                row.line, f"{name} is longer than {limit} characters", value[:RAW_ERROR_CHARS], voter_id
            )
    return None


# The columns of a new VoterRecord, in the order _apply gives them.
NEW_RECORD_COLUMNS = (
    "state", "voter_id", "layout", "raw", "row_hash", "first_import_id", "last_seen_import_id", "updated_at",
    *_FROM_ROW, "districts", "household_id", "area_id", "person_id",
)  # fmt: skip


def row_hash(row: VoterRow) -> str:
    """The MD5 of the row's columns sorted by name, as "name\x1evalue" joined by "\x1f"."""
    raw = row.raw
    names, prefixes = _hash_order(tuple(raw))
    text = "\x1f".join(map(operator.add, prefixes, names(raw)))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@functools.lru_cache(maxsize=64)
def _hash_order(names: tuple[str, ...]) -> tuple[Callable[[dict[str, str]], Sequence[str]], tuple[str, ...]]:
    """The values of a row in the order of its sorted column names, and their "name\x1e"
    prefixes: one file's rows all share them."""
    order = sorted(names)
    values = operator.itemgetter(*order) if len(order) > 1 else lambda raw: tuple(raw[n] for n in order)
    return values, tuple(f"{name}\x1e" for name in order)


# Where a voter lives: (household pk, area pk); no household when the address cannot be read.
Placement = tuple[int | None, int]
_AREA_COLUMNS = ("public_id", "kind", "parent_id", "name", "path", "depth")
_HOUSEHOLD_COLUMNS = ("area_id", "address_line", "unit", "city", "state", "postal_code")


@dataclass
class Places:
    """Finds or creates the areas and households voters live in.

    Districts and counties are few and kept for the whole import; streets are kept up to
    STREET_CACHE; buildings and households are looked up batch by batch, so that memory
    does not grow with the file.
    """

    state: str
    districts: dict[str, Area] = field(default_factory=dict)
    counties: dict[str, Area] = field(default_factory=dict)
    # District pk -> {street name: pk of a street anywhere inside the district}, the districts
    # in the order they were last used (least recent first).
    streets: dict[int, dict[str, int]] = field(default_factory=dict)
    street_count: int = 0
    # (district pk, building name) -> pk, for the rare building of a district not on a street.
    loose_buildings: dict[int, dict[str, int]] = field(default_factory=dict)
    root: Area | None = None

    def _root(self) -> Area:
        if self.root is None:
            code = f"STATE-{self.state or 'XX'}"
            self.root = Area.objects.filter(code=code, parent=None).first()
            if self.root is None:
                self.root = build_area(kind="state", name=self.state or "Unknown state", code=code)
                self.root.save()
        return self.root

    def district(self, row: VoterRow) -> Area:
        """The election district (precinct) a voter is in: an existing area with that code, or a new one."""
        key = row.precinct or f"{row.county or 'unknown'}-unassigned"
        area = self.districts.get(key)
        if area is None:
            area = Area.objects.filter(kind="election_district", code=key).order_by("pk").first()
            if area is None:
                area = build_area(
                    kind="election_district", name=row.precinct_name or f"Precinct {key}", code=key,
                    parent=self._county(row.county),
                )  # fmt: skip
                area.save()
            self.districts[key] = area
        return area

    def _county(self, county: str) -> Area:
        name = county or "Unknown county"
        area = self.counties.get(name)
        if area is None:
            root = self._root()
            area = Area.objects.filter(kind="county", parent=root, name=name).first()
            if area is None:
                area = build_area(kind="county", name=name, parent=root, code=f"{self.state}-{name}"[:64])
                area.save()
            self.counties[name] = area
        return area

    def _streets_of(self, district: Area) -> dict[str, int]:
        """The streets inside a district by name, read the first time it is seen (or again,
        once forgotten), and made the most recently used."""
        streets = self.streets.pop(district.pk, None)
        if streets is None:
            streets = self._read_streets(district)
        self.streets[district.pk] = streets
        return streets

    def _read_streets(self, district: Area) -> dict[str, int]:
        streets: dict[str, int] = {}
        loose: dict[str, int] = {}
        inside = Area.objects.filter(path__startswith=district.path).order_by("pk")
        for pk, name in inside.filter(kind="street").values_list("pk", "name"):
            streets.setdefault(sys.intern(name), pk)
        off_streets = inside.filter(kind="building").exclude(parent__kind="street")
        for name, pk in off_streets.values_list("name", "pk"):
            loose.setdefault(name, pk)
        self.street_count += len(streets)
        self.loose_buildings[district.pk] = loose
        return streets

    def _forget(self) -> None:
        """Forget the districts used least recently, down to half of STREET_CACHE: between
        batches, never within one (its rows hold the streets they found)."""
        while self.street_count > STREET_CACHE // 2 and self.streets:
            district_pk = next(iter(self.streets))
            self.street_count -= len(self.streets.pop(district_pk))
            self.loose_buildings.pop(district_pk, None)

    def place(self, rows: Sequence[VoterRow], addresses: Sequence[Address | None]) -> list[Placement]:
        """The household and area of each row, at its normalized address (None: unreadable),
        creating the streets, buildings and households missing."""
        if self.street_count >= STREET_CACHE:
            self._forget()
        # Each row's district, then its normalized line and unit (None when unreadable).
        spots: list[tuple[Area, str | None, str]] = []
        # Per row with a readable address: the pk of its street (new ones are filled in below).
        new_streets: dict[tuple[int, str], tuple[Any, ...]] = {}
        street_of: dict[tuple[int, str], int] = {}  # (district pk, line) -> street pk, or -1: new
        # The batch's districts' streets, each made the most recently used once, not once a row.
        in_batch: dict[int, dict[str, int]] = {}
        for row, address in zip(rows, addresses, strict=True):
            district = self.district(row)
            streets = in_batch.get(district.pk)
            if streets is None:
                streets = in_batch[district.pk] = self._streets_of(district)
            if address is None:
                spots.append((district, None, ""))
                continue
            line1, unit = address
            spots.append((district, line1, unit))
            line_key = (district.pk, line1)
            if line_key in street_of:
                continue
            street_name = sys.intern(line1.split(" ", 1)[1].title() if " " in line1 else line1)
            pk = streets.get(street_name)
            if pk is None:
                key = (district.pk, street_name)
                if key not in new_streets:
                    new_streets[key] = _new_area(
                        "street", street_name, district.pk, district.path, district.depth
                    )
                pk = -1
            street_of[line_key] = pk
        # Where each street is, for the buildings to be made on it: the new ones' from their rows.
        where: dict[int, tuple[str, int]] = {}
        if new_streets:
            ids, _ = insert_rows(Area, _AREA_COLUMNS, list(new_streets.values()))
            for (key, (_, _, _, _, path, depth)), pk in zip(new_streets.items(), ids, strict=True):
                self.streets[key[0]][key[1]] = pk
                self.street_count += 1
                where[pk] = (path, depth)
            for line_key, pk in street_of.items():
                if pk == -1:
                    line1 = line_key[1]
                    name = line1.split(" ", 1)[1].title() if " " in line1 else line1
                    street_of[line_key] = self.streets[line_key[0]][name]
        buildings = self._buildings(street_of, where)
        return self._households(rows, spots, buildings)

    def _buildings(
        self, street_of: dict[tuple[int, str], int], where: dict[int, tuple[str, int]]
    ) -> dict[tuple[int, str], int]:
        """(district pk, line) -> building pk for every readable spot, the missing buildings
        created on their streets (``where``: the path and depth of streets made this batch)."""
        found: dict[tuple[int, str], int] = {}
        on_streets: dict[tuple[int, str], int] = {}
        # Each (street, line) looked up on the index of a parent's children by name: by street
        # alone, a batch read every building of thousands of streets, more as the file went on.
        # Not filtered by kind in SQL (a street's children are its buildings); the lowest key wins.
        wanted = sorted(
            {(street_pk, line1) for (_, line1), street_pk in street_of.items() if street_pk not in where}
        )
        existing = matching(Area, ("parent_id", "name"), wanted, ("pk", "parent_id", "name", "kind"))
        for building_pk, parent_id, name, kind in sorted(existing):
            if kind == "building":
                on_streets.setdefault((parent_id, name), building_pk)
        missing: dict[tuple[int, str], int] = {}  # -> the street it goes on
        for key, street_pk in street_of.items():
            loose = self.loose_buildings.get(key[0])
            pk = (loose.get(key[1]) if loose else None) or on_streets.get((street_pk, key[1]))
            if pk is None:
                missing[key] = street_pk
            else:
                found[key] = pk
        if missing:
            unknown = set(missing.values()) - where.keys()
            if unknown:
                where.update(
                    (pk, (path, depth))
                    for pk, path, depth in Area.objects.filter(pk__in=listed(unknown)).values_list(
                        "pk", "path", "depth"
                    )
                )
            values = [_new_area("building", key[1], pk, *where[pk]) for key, pk in missing.items()]
            ids, _ = insert_rows(Area, _AREA_COLUMNS, values)
            found.update(zip(missing, ids, strict=True))
        return found

    def _households(
        self,
        rows: Sequence[VoterRow],
        spots: list[tuple[Area, str | None, str]],
        buildings: dict[tuple[int, str], int],
    ) -> list[Placement]:
        keys = {
            (line1, unit, row.postal_code[:5])
            for row, (_, line1, unit) in zip(rows, spots, strict=True)
            if line1 is not None
        }
        found = _stored_households(keys)  # address -> (household pk, area pk)
        missing: dict[tuple[str, str, str], tuple[Any, ...]] = {}
        for row, (district, line1, unit) in zip(rows, spots, strict=True):
            if line1 is None:
                continue
            key = (line1, unit, row.postal_code[:5])
            if key not in found and key not in missing:
                missing[key] = (
                    buildings[(district.pk, line1)],
                    line1,
                    unit,
                    row.city,
                    row.residence_state or self.state,
                    key[2],
                )
        if missing:
            ids, inserted = insert_rows(
                Household, _HOUSEHOLD_COLUMNS, list(missing.values()), ignore_conflicts=True
            )
            if inserted == len(missing):
                for (key, values), pk in zip(missing.items(), ids, strict=True):
                    found[key] = (pk, values[0])
            else:
                # Someone else created some of these households meanwhile: read them all back.
                found.update(_stored_households(missing))
        placements: list[Placement] = []
        for row, (district, line1, unit) in zip(rows, spots, strict=True):
            if line1 is None:
                placements.append((None, district.pk))
            else:
                placements.append(found[(line1, unit, row.postal_code[:5])])
        return placements


def _stored_households(
    addresses: Iterable[tuple[str, str, str]],
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(household pk, area pk) of the stored households at these (line, unit, ZIP) addresses."""
    keys = ("address_line", "unit", "postal_code")
    stored = matching(Household, keys, list(addresses), ("pk", "area_id", *keys))
    return {(line, unit, zip5): (pk, area_id) for pk, area_id, line, unit, zip5 in stored}


def _new_area(kind: str, name: str, parent_pk: int, parent_path: str, parent_depth: int) -> tuple[Any, ...]:
    """The values of a new area (_AREA_COLUMNS) under a parent, its path made as build_area makes it."""
    public_id = uuid.uuid4()
    return (public_id, kind, parent_pk, name, parent_path + path_segment(public_id), parent_depth + 1)


# A normalized residence address: (line1, unit) in USPS form.
Address = tuple[str, str]


class Prepared(NamedTuple):
    """A voter row as a batch holds it: its hash, its stored raw row and its districts encoded
    (the row's own are let go), its address normalized (None when it cannot be read as a street
    address) and its phone (E.164, or "")."""

    row: VoterRow
    digest: str
    raw: EncodedJson
    address: Address | None
    districts: EncodedJson
    phone: str


def _prepare(row: VoterRow, normalizer: StreetNormalizer) -> Prepared:
    try:
        address: Address | None = normalizer.normalize(row.street_line, row.unit)
    except AddressError:
        address = None
    prepared = Prepared(
        row,
        row_hash(row),
        EncodedJson(orjson.dumps(stored_raw(row)).decode()),
        address,
        EncodedJson(orjson.dumps(row.districts).decode()),
        voter_phone(row.phone),
    )
    # orjson, not json: it encodes a voter's raw row in a third of the time (the same JSON, without spaces).
    # The row's dicts are let go: a batch of rows holding them would weigh several times as
    # much, and crossing to the writing process would cost more (see _districts).
    row.raw, row.districts = {}, {}
    return prepared


def _districts(prepared: Prepared) -> VoterRow:
    """The row with its districts back, to be compared with a stored record."""
    row = prepared.row
    row.districts = json.loads(prepared.districts.text)
    return row


class Batch(NamedTuple):
    """Rows ready to be written, the rows refused, and how far into the file they reach (bytes;
    END for the last batch)."""

    rows: list[Prepared]
    errors: list[RowError]
    bytes_done: int


END = -1
# A batch as it crosses to the writing process: rows as plain tuples (_pack).
Packed = tuple[list[tuple[Any, ...]], list[RowError], int]
_ROW_FIELDS = len(dataclasses.fields(VoterRow))


def _pack(batch: Batch) -> Packed:
    """A batch as plain tuples: pickled, sent and rebuilt, they cost the writing process about
    30 µs a row where instances cost 42."""
    rows = [
        (*p.row.__dict__.values(), p.digest, p.raw.text, p.address, p.districts.text, p.phone)
        for p in batch.rows
    ]
    return rows, batch.errors, batch.bytes_done


def _unpack(packed: Packed) -> Batch:
    rows, errors, bytes_done = packed
    n = _ROW_FIELDS
    return Batch(
        [
            Prepared(VoterRow(*t[:n]), t[n], EncodedJson(t[n + 1]), t[n + 2], EncodedJson(t[n + 3]), t[n + 4])
            for t in rows
        ],
        errors,
        bytes_done,
    )


def read_batches(
    layout: Layout, stream: TextIO, binary: IO[bytes], lines_done: int
) -> Generator[Batch, None, None]:
    """The file's records past ``lines_done`` read, checked and prepared, BATCH_SIZE at a time:
    everything an import does to a row before it needs the database."""
    normalizer = StreetNormalizer()
    rows: list[Prepared] = []
    errors: list[RowError] = []
    for item in layout.read(stream):
        if item.line <= lines_done:
            continue  # committed by an earlier, interrupted run
        if isinstance(item, RowError):
            errors.append(item)
        elif (refused := too_long(item)) is not None:
            errors.append(refused)
        else:
            rows.append(_prepare(item, normalizer))
        if len(rows) >= BATCH_SIZE or len(errors) >= BATCH_SIZE:
            yield Batch(rows, errors, binary.tell())
            rows, errors = [], []
    yield Batch(rows, errors, END)


def _read_file(layout: Layout, path: str, encoding: str, lines_done: int) -> Iterator[Packed]:
    """read_batches of the file at ``path``, opened anew, packed (in the reading process)."""
    with open(path, "rb") as binary:
        for batch in read_batches(layout, text_stream(binary, encoding), binary, lines_done):
            yield _pack(batch)


def _unpacked(packed: Generator[Packed, None, None]) -> Generator[Batch, None, None]:
    with contextlib.closing(packed) as batches:
        for batch in batches:
            yield _unpack(batch)


def stored_raw(row: VoterRow) -> dict[str, str]:
    """The raw row as a record keeps it: its columns that are not empty. Half the columns of a
    voter file are (mailing addresses, districts a county lacks), and the record's row is then
    about half as long, which is most of what a voter record weighs."""
    return dict(filter(_filled, row.raw.items()))


_filled = operator.itemgetter(1)


def _fields(row: VoterRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RECORD_FIELDS}


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class Importer:
    def __init__(
        self, voter_import: VoterImport, progress: Callable[[VoterImport], None] | None = None
    ) -> None:
        self.job = voter_import
        self.progress = progress
        self.layout: Layout | None = None
        self.places: Places | None = None
        # Whether new records get their person as they are saved (see _run).
        self.people_first = False

    # -- the file --------------------------------------------------------------------------

    def _layout_for(self, first_line: str) -> Layout:
        if self.job.layout == "csv":
            from grassroots.voters.layouts.csv import MappedCsvLayout

            mapping = self.job.mapping
            if mapping is None:
                raise LayoutError("A generic CSV needs a column mapping.")
            return MappedCsvLayout(
                mapping.mapping,
                state=mapping.state,
                date_format=mapping.date_format,
                delimiter=mapping.delimiter,
            )
        if self.job.layout in ("", "auto"):
            return detect_layout(first_line)()
        layout = get_layout(self.job.layout)
        if not layout.detect(first_line):
            raise LayoutError(f"This file does not look like a {layout.name} file: check the layout chosen.")
        return layout

    def _batches(self, raw: IO[bytes]) -> Generator[Batch, None, None]:
        """The file's batches: read in a process of its own, ahead of the writing, when the file is
        large enough to be worth one (READ_AHEAD_BYTES) and there is a core for it."""
        stream, encoding = self._open(raw)
        assert self.layout is not None
        if self.job.file_size - self.job.bytes_done >= READ_AHEAD_BYTES and can_read_ahead():
            reading = functools.partial(
                _read_file, self.layout, self.job.file_path, encoding, self.job.lines_done
            )
            return _unpacked(read_ahead(reading))
        return read_batches(self.layout, stream, raw, self.job.lines_done)

    def _open(self, raw: IO[bytes]) -> tuple[TextIO, str]:
        """The file's text and encoding, its layout found (and the history file's checked)."""
        try:
            check_text_file(raw)
        except UploadRefused as exc:
            raise LayoutError(str(exc)) from None
        stream, encoding = open_voter_file(raw)
        start = stream.tell()  # past a byte-order mark, if the file has one
        first_line = stream.readline()
        stream.seek(start)
        self.layout = self._layout_for(first_line)
        self.job.layout = self.layout.key
        self.job.state = self.layout.state or self.job.state
        self.job.encoding = encoding
        self.job.save(update_fields=["layout", "state", "encoding"])
        if self.job.history_path and not self._history_inside():
            self._check_history(self.layout, self.job.history_path)
        return stream, encoding

    @staticmethod
    def _check_history(layout: Layout, path: str) -> None:
        """LayoutError, before any voter is written, when the history file is empty or not the
        layout's history file: it is read only after the voter file, when it could no longer stop it."""
        with open(path, "rb") as raw:
            try:
                check_text_file(raw)
            except UploadRefused as exc:
                raise LayoutError(f"The vote-history file: {exc}") from None
            stream, _ = open_voter_file(raw)
            try:
                next(iter(layout.read_history(stream)), None)
            except NotImplementedError:
                raise LayoutError(f"{layout.name} files have no separate vote-history file.") from None

    # -- running ---------------------------------------------------------------------------

    def run(self) -> VoterImport:
        with import_settings(), fewer_collections():
            return self._run()

    def _run(self) -> VoterImport:
        job = self.job
        job.status, job.started_at, job.message = VoterImport.Status.RUNNING, timezone.now(), ""
        job.save(update_fields=["status", "started_at", "message"])
        from grassroots.voters.linking import link_new_records, unlinked_people

        # Linking (at the end) matches new records to the people not yet tied to a record, and
        # gives every record it does not link a person of its own. When there is no such person
        # to match, every new record would get its own: it is given it as it is saved, which
        # spares reading and updating every record again.
        self.people_first = not unlinked_people().exists()
        try:
            with open(job.file_path, "rb") as raw:
                job.file_size = Path(job.file_path).stat().st_size
                bulk_load = self._bulk_load()
                with (
                    deferred_indexes(DEFERRABLE_INDEXES, defer=bulk_load),
                    deferred_foreign_keys(list(DEFERRABLE_INDEXES), defer=bulk_load),
                    contextlib.closing(self._batches(raw)) as batches,
                ):
                    for batch in batches:
                        done = job.file_size if batch.bytes_done == END else batch.bytes_done
                        self._commit(batch.rows, batch.errors, bytes_done=done)
                        self._report()
            self._mark_removed()
            history = job.history_path or (job.file_path if self._history_inside() else "")
            if history:
                self._import_history(history)
            link_new_records(job)
        except LayoutError as exc:
            job.status, job.message = VoterImport.Status.FAILED, str(exc)
        except Exception as exc:
            log.exception("voter import %s failed", job.public_id)
            job.status, job.message = VoterImport.Status.FAILED, f"The import stopped: {exc}"
        else:
            job.status = VoterImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        return job

    def _bulk_load(self) -> bool:
        """Whether this file adds more voter records than are stored: then the indexes
        the import does not read are built after it, not row by row (bulk.deferred_indexes)."""
        left = self.job.file_size - self.job.bytes_done
        if left < DEFER_INDEXES_BYTES:
            return False
        least = left // MAX_LINE_BYTES
        return VoterRecord.objects.all()[:least].count() < least

    def _report(self) -> None:
        """Tell the caller how far the import is, outside any transaction (the batch is committed)."""
        if self.progress is not None:
            self.progress(self.job)

    @transaction.atomic
    def _commit(self, rows: list[Prepared], errors: list[RowError], *, bytes_done: int) -> None:
        job = self.job
        if errors:
            ImportRowError.objects.bulk_create(
                [
                    ImportRowError(
                        voter_import=job, line=e.line, reason=e.reason[:500], raw=e.raw[:RAW_ERROR_CHARS],
                        voter_id=e.voter_id if len(e.voter_id) <= VOTER_ID_CHARS else "",
                    )
                    for e in errors
                ],
                ignore_conflicts=True,
            )  # fmt: skip
            job.error_count += len(errors)
        if rows:
            self._apply(rows)
            job.rows_read += len(rows)
        lines = [p.row.line for p in rows] + [e.line for e in errors]
        if lines:
            job.lines_done = max(job.lines_done, *lines)
        job.bytes_done = bytes_done
        job.save()

    def _apply(self, rows: list[Prepared]) -> None:
        job = self.job
        assert self.layout is not None
        state = self.layout.state or job.state
        if self.places is None:
            self.places = Places(state=state)
        # What is stored of the batch's voters: enough to tell unchanged rows (most of a newer
        # file) without reading whole records; changed ones are read whole below.
        stored = VoterRecord.objects.filter(state=state, voter_id__in=listed(p.row.voter_id for p in rows))
        existing: dict[str, tuple[int, str, bool, int | None]] = {
            voter_id: (pk, digest, on_roll, last_seen)
            for voter_id, pk, digest, on_roll, last_seen in stored.values_list(
                "voter_id", "pk", "row_hash", "on_roll", "last_seen_import_id"
            )
        }
        now = timezone.now()
        new: list[Prepared] = []
        to_change: list[tuple[Prepared, int]] = []  # with the record's pk
        seen: list[int] = []
        in_batch: dict[str, int] = {}
        duplicates: list[RowError] = []
        for prepared in rows:
            row = prepared.row
            found = existing.get(row.voter_id)
            if row.voter_id in in_batch or (found is not None and found[3] == job.pk):
                duplicates.append(
                    RowError(row.line, f"voter id {row.voter_id} appears more than once in the file")
                )
                continue
            in_batch[row.voter_id] = row.line
            if found is None:
                new.append(prepared)
            elif found[1] == prepared.digest and found[2]:
                seen.append(found[0])
            else:
                to_change.append((prepared, found[0]))
        records = VoterRecord.objects.in_bulk([pk for _, pk in to_change]) if to_change else {}
        changed = [(prepared, records[pk]) for prepared, pk in to_change]
        if duplicates:
            ImportRowError.objects.bulk_create(
                [ImportRowError(voter_import=job, line=e.line, reason=e.reason) for e in duplicates],
                ignore_conflicts=True,
            )
            job.error_count += len(duplicates)

        history: list[VoterRecordChange] = []
        moved: list[tuple[Prepared, VoterRecord]] = []
        for prepared, record in changed:
            row = _districts(prepared)
            diff = {}
            for name, value in _fields(row).items():
                old = getattr(record, name)
                if old != value:
                    diff[name] = [_json_value(old), _json_value(value)]
                    setattr(record, name, value)
            if not record.on_roll:
                diff["on_roll"] = [False, True]
                record.on_roll, record.removed_at = True, None
            record.raw, record.row_hash, record.updated_at, record.last_seen_import = (
                json.loads(prepared.raw.text),
                prepared.digest,
                now,
                job,
            )
            history.append(VoterRecordChange(record=record, voter_import=job, at=now, changes=diff))
            if {"street_line", "unit", "postal_code", "precinct"} & diff.keys():
                moved.append((prepared, record))

        placements = self.places.place(
            [p.row for p in new] + [p.row for p, _ in moved],
            [p.address for p in new] + [p.address for p, _ in moved],
        )
        for (_, record), (household_id, area_id) in zip(moved, placements[len(new) :], strict=True):
            record.household_id, record.area_id = household_id, area_id
        people: Sequence[int | None] = [None] * len(new)
        if self.people_first and new:
            from grassroots.voters.linking import NewRecord, create_people

            people = create_people(
                [
                    NewRecord(
                        pk=0,
                        first_name=row.first_name,
                        middle_name=row.middle_name,
                        last_name=row.last_name,
                        suffix=row.suffix,
                        birth_date=row.birth_date,
                        birth_year=row.birth_year,
                        postal_code=row.postal_code,
                        phone=row.phone,
                        email=row.email,
                        area_id=area_id,
                        household_id=household_id,
                        address_line=None,
                        unit=None,
                    )
                    for row, (household_id, area_id) in zip((p.row for p in new), placements, strict=False)
                ],
                phones=[p.phone for p in new],
            )
            job.people_created += len(people)
        layout = self.layout.key
        record_rows = [
            (
                state,
                row.voter_id,
                layout,
                raw,
                digest,
                job.pk,
                job.pk,
                now,
                *_record_values(row),
                districts,
                *place,
                person,
            )
            for (row, digest, raw, _, districts, _), place, person in zip(
                new, placements, people, strict=False
            )
        ]
        insert_rows(VoterRecord, NEW_RECORD_COLUMNS, record_rows)
        if changed:
            VoterRecord.objects.bulk_update(
                [record for _, record in changed],
                [*RECORD_FIELDS, "raw", "row_hash", "updated_at", "last_seen_import", "on_roll", "removed_at",
                 "household", "area"],
            )  # fmt: skip
            VoterRecordChange.objects.bulk_create(history)
        if seen:
            VoterRecord.objects.filter(pk__in=listed(seen)).update(last_seen_import=job)
        job.created += len(new)
        job.updated += len(changed)
        job.unchanged += len(seen)

    @transaction.atomic
    def _mark_removed(self) -> None:
        """Voters of this file's state and counties that the file no longer holds leave the roll.

        A voter whose row the file holds but which was refused (an unreadable date, say) is still
        in the file: their record stays on the roll, unchanged, until a file with a readable row."""
        job = self.job
        # The counties come from the records this import saw, so a resumed run counts the earlier part.
        # order_by(): without it the default ordering's columns join the DISTINCT, a row per record.
        seen = VoterRecord.objects.filter(last_seen_import=job).order_by()
        counties = set(seen.values_list("county", flat=True).distinct())
        # Read from the stored row errors, not kept in memory, so a resumed run counts the earlier part.
        refused = (
            ImportRowError.objects.filter(voter_import=job, file="voters")
            .exclude(voter_id="")
            .values("voter_id")
        )
        gone = (
            VoterRecord.objects.filter(state=job.state, county__in=counties, on_roll=True)
            .exclude(last_seen_import=job)
            .exclude(voter_id__in=refused)
        )
        now = timezone.now()
        ids = list(gone.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            VoterRecord.objects.filter(pk__in=listed(chunk)).update(on_roll=False, removed_at=now)
            VoterRecordChange.objects.bulk_create(
                VoterRecordChange(record_id=pk, voter_import=job, at=now, changes={"on_roll": [True, False]})
                for pk in chunk
            )
        job.removed = len(ids)

    def _history_inside(self) -> bool:
        """Some states (Ohio) carry the vote history as columns of the voter file itself."""
        return self.layout is not None and self.layout.history_in_voter_file

    def _import_history(self, path: str) -> None:
        job = self.job
        assert self.layout is not None
        with open(path, "rb") as raw:
            stream, _ = open_voter_file(raw)
            rows: list[HistoryRow] = []
            errors: list[RowError] = []
            for item in self.layout.read_history(stream):
                if not isinstance(item, RowError):
                    item = too_long(item) or item
                (errors if isinstance(item, RowError) else rows).append(item)  # type: ignore[arg-type]
                if len(rows) >= BATCH_SIZE * 5:
                    self._save_history(rows)
                    rows = []
            self._save_history(rows)
        if errors:
            ImportRowError.objects.bulk_create(
                [ImportRowError(voter_import=job, file="history", line=e.line, reason=e.reason[:500],
                                raw=e.raw[:RAW_ERROR_CHARS]) for e in errors],
                ignore_conflicts=True,
            )  # fmt: skip
            job.error_count += len(errors)

    @transaction.atomic
    def _save_history(self, rows: Iterable[HistoryRow]) -> None:
        rows = list(rows)
        if not rows:
            return
        state = self.job.state
        ids = dict(
            VoterRecord.objects.filter(
                state=state, voter_id__in=listed({r.voter_id for r in rows})
            ).values_list("voter_id", "pk")
        )
        stored = VoteHistory.objects.filter(state=state, voter_id__in=listed({r.voter_id for r in rows}))
        before = stored.count()
        VoteHistory.objects.bulk_create(
            [
                VoteHistory(
                    state=state,
                    voter_id=r.voter_id,
                    record_id=ids.get(r.voter_id),
                    election_date=r.election_date,
                    election_name=r.election_name[:200],
                    election_type=r.election_type,
                    method=r.method,
                    party=r.party,
                )
                for r in rows
            ],
            ignore_conflicts=True,
        )
        self.job.history_rows += stored.count() - before


def run_import(
    voter_import: VoterImport, progress: Callable[[VoterImport], None] | None = None
) -> VoterImport:
    return Importer(voter_import, progress).run()
