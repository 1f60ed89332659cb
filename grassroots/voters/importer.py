"""Importing a voter file: stream it, batch it, and write what changed.

``run_import(voter_import)`` reads the file through its layout in batches. Each batch
is one transaction: new voters are created with their household and areas, changed
voters are updated (the change kept in VoterRecordChange), unchanged ones only noted
as seen. The import row's ``lines_done`` moves with each committed batch, so a killed
import resumes where it stopped, and re-running a whole file creates nothing twice.
When the file is done, voters of the same state and counties that the file no longer
holds are marked removed from the roll (never deleted), the history file is read,
and the new voter records are linked to people (voters.linking).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from grassroots.lib.addresses import AddressError, StreetNormalizer
from grassroots.places.actions import build_area
from grassroots.places.models import Area, Household
from grassroots.voters.layouts import detect_layout, get_layout, open_voter_file
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow
from grassroots.voters.models import ImportRowError, VoteHistory, VoterImport, VoterRecord, VoterRecordChange

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
RAW_ERROR_CHARS = 300

# The fields of a VoterRecord that come from the file; a change in any is kept in history.
RECORD_FIELDS = (
    "first_name", "middle_name", "last_name", "suffix", "birth_date", "birth_year", "gender", "race",
    "ethnicity", "status", "status_reason", "party", "registration_date", "street_line", "unit", "city",
    "residence_state", "postal_code", "county", "precinct", "precinct_name", "districts", "phone", "email",
)  # fmt: skip


def row_hash(row: VoterRow) -> str:
    text = "\x1f".join(f"{k}\x1e{v}" for k, v in sorted(row.raw.items()))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@dataclass
class Places:
    """Finds or creates the areas and households voters live in, with caches that last one import."""

    state: str
    normalizer: StreetNormalizer = field(default_factory=StreetNormalizer)
    districts: dict[str, Area] = field(default_factory=dict)
    counties: dict[str, Area] = field(default_factory=dict)
    streets: dict[tuple[int, str], Area] = field(default_factory=dict)
    buildings: dict[tuple[int, str], Area] = field(default_factory=dict)
    loaded: set[int] = field(default_factory=set)
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

    def _load(self, district: Area) -> None:
        if district.pk in self.loaded:
            return
        for area in Area.objects.filter(path__startswith=district.path, kind__in=["street", "building"]):
            target = self.streets if area.kind == "street" else self.buildings
            target.setdefault((district.pk, area.name), area)
        self.loaded.add(district.pk)

    def place(self, rows: list[tuple[VoterRow, VoterRecord]]) -> None:
        """Give each record its household and area, creating what is missing in bulk."""
        wanted: list[tuple[VoterRecord, Area, str, str, str]] = []
        new_streets: dict[tuple[int, str], Area] = {}
        new_buildings: dict[tuple[int, str], Area] = {}
        for row, record in rows:
            district = self.district(row)
            self._load(district)
            try:
                line1, unit = self.normalizer.normalize(row.street_line, row.unit)
            except AddressError:
                record.household, record.area = None, district
                continue
            street_name = line1.split(" ", 1)[1].title() if " " in line1 else line1
            street = self.streets.get((district.pk, street_name)) or new_streets.get(
                (district.pk, street_name)
            )
            if street is None:
                street = build_area(kind="street", name=street_name, parent=district)
                new_streets[(district.pk, street_name)] = street
            if (district.pk, line1) not in self.buildings and (district.pk, line1) not in new_buildings:
                new_buildings[(district.pk, line1)] = build_area(kind="building", name=line1, parent=street)
            wanted.append((record, district, line1, unit, row.postal_code[:5]))
        if new_streets:
            Area.objects.bulk_create(new_streets.values())
            self.streets.update(new_streets)
        if new_buildings:
            Area.objects.bulk_create(new_buildings.values())
            self.buildings.update(new_buildings)
        self._households(wanted)

    def _households(self, wanted: list[tuple[VoterRecord, Area, str, str, str]]) -> None:
        keys = {(line1, unit, zip5) for _, _, line1, unit, zip5 in wanted}
        lines = {k[0] for k in keys}
        found = {
            (h.address_line, h.unit, h.postal_code): h
            for h in Household.objects.filter(address_line__in=lines).only(
                "id", "area_id", "address_line", "unit", "postal_code"
            )
        }
        missing = []
        for record, district, line1, unit, zip5 in wanted:
            if (line1, unit, zip5) not in found:
                household = Household(
                    area=self.buildings[(district.pk, line1)], address_line=line1, unit=unit,
                    city=record.city, state=record.residence_state or self.state, postal_code=zip5,
                )  # fmt: skip
                found[(line1, unit, zip5)] = household
                missing.append(household)
        if missing:
            Household.objects.bulk_create(missing, ignore_conflicts=True)
            # ignore_conflicts leaves primary keys unset: read them back.
            refreshed = Household.objects.filter(address_line__in={h.address_line for h in missing})
            for h in refreshed.only("id", "area_id", "address_line", "unit", "postal_code"):
                found[(h.address_line, h.unit, h.postal_code)] = h
        for record, _, line1, unit, zip5 in wanted:
            household = found[(line1, unit, zip5)]
            record.household, record.area_id = household, household.area_id


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

    def _records(self, raw: IO[bytes]) -> Iterator[VoterRow | RowError]:
        stream, encoding = open_voter_file(raw)
        first_line = stream.readline()
        stream.seek(0)
        self.layout = self._layout_for(first_line)
        self.job.layout = self.layout.key
        self.job.state = self.layout.state or self.job.state
        self.job.encoding = encoding
        self.job.save(update_fields=["layout", "state", "encoding"])
        yield from self.layout.read(stream)

    # -- running ---------------------------------------------------------------------------

    def run(self) -> VoterImport:
        job = self.job
        job.status, job.started_at, job.message = VoterImport.Status.RUNNING, timezone.now(), ""
        job.save(update_fields=["status", "started_at", "message"])
        try:
            with open(job.file_path, "rb") as raw:
                job.file_size = Path(job.file_path).stat().st_size
                batch: list[VoterRow] = []
                errors: list[RowError] = []
                for item in self._records(raw):
                    if item.line <= job.lines_done:
                        continue  # committed by an earlier, interrupted run
                    if isinstance(item, RowError):
                        errors.append(item)
                    else:
                        batch.append(item)
                    if len(batch) >= BATCH_SIZE or len(errors) >= BATCH_SIZE:
                        self._commit(batch, errors, bytes_done=raw.tell())
                        self._report()
                        batch, errors = [], []
                self._commit(batch, errors, bytes_done=job.file_size, last=True)
                self._report()
            self._mark_removed()
            history = job.history_path or (job.file_path if self._history_inside() else "")
            if history:
                self._import_history(history)
            from grassroots.voters.linking import link_new_records

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

    def _report(self) -> None:
        """Tell the caller how far the import is, outside any transaction (the batch is committed)."""
        if self.progress is not None:
            self.progress(self.job)

    @transaction.atomic
    def _commit(
        self, rows: list[VoterRow], errors: list[RowError], *, bytes_done: int, last: bool = False
    ) -> None:
        job = self.job
        if errors:
            ImportRowError.objects.bulk_create(
                [
                    ImportRowError(
                        voter_import=job, line=e.line, reason=e.reason[:500], raw=e.raw[:RAW_ERROR_CHARS]
                    )
                    for e in errors
                ],
                ignore_conflicts=True,
            )  # fmt: skip
            job.error_count += len(errors)
        if rows:
            self._apply(rows)
            job.rows_read += len(rows)
        lines = [r.line for r in rows] + [e.line for e in errors]
        if lines:
            job.lines_done = max(job.lines_done, *lines)
        job.bytes_done = bytes_done
        job.save()

    def _apply(self, rows: list[VoterRow]) -> None:
        job = self.job
        assert self.layout is not None
        state = self.layout.state or job.state
        if self.places is None:
            self.places = Places(state=state)
        existing = {
            r.voter_id: r
            for r in VoterRecord.objects.filter(state=state, voter_id__in=[row.voter_id for row in rows])
        }
        now = timezone.now()
        new: list[tuple[VoterRow, VoterRecord]] = []
        changed: list[tuple[VoterRow, VoterRecord]] = []
        seen: list[int] = []
        in_batch: dict[str, int] = {}
        duplicates: list[RowError] = []
        for row in rows:
            if row.voter_id in in_batch or (
                row.voter_id in existing and existing[row.voter_id].last_seen_import_id == job.pk
            ):
                duplicates.append(
                    RowError(row.line, f"voter id {row.voter_id} appears more than once in the file")
                )
                continue
            in_batch[row.voter_id] = row.line
            digest = row_hash(row)
            record = existing.get(row.voter_id)
            if record is None:
                record = VoterRecord(
                    state=state, voter_id=row.voter_id, layout=self.layout.key, raw=row.raw, row_hash=digest,
                    first_import=job, last_seen_import=job, updated_at=now, **_fields(row),
                )  # fmt: skip
                new.append((row, record))
            elif record.row_hash == digest and record.on_roll:
                seen.append(record.pk)
            else:
                changed.append((row, record))
        if duplicates:
            ImportRowError.objects.bulk_create(
                [ImportRowError(voter_import=job, line=e.line, reason=e.reason) for e in duplicates],
                ignore_conflicts=True,
            )
            job.error_count += len(duplicates)

        history: list[VoterRecordChange] = []
        moved: list[tuple[VoterRow, VoterRecord]] = []
        for row, record in changed:
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
                row.raw,
                row_hash(row),
                now,
                job,
            )
            history.append(VoterRecordChange(record=record, voter_import=job, at=now, changes=diff))
            if {"street_line", "unit", "postal_code", "precinct"} & diff.keys():
                moved.append((row, record))

        self.places.place(new + moved)
        VoterRecord.objects.bulk_create([record for _, record in new])
        if changed:
            VoterRecord.objects.bulk_update(
                [record for _, record in changed],
                [*RECORD_FIELDS, "raw", "row_hash", "updated_at", "last_seen_import", "on_roll", "removed_at",
                 "household", "area"],
            )  # fmt: skip
            VoterRecordChange.objects.bulk_create(history)
        if seen:
            VoterRecord.objects.filter(pk__in=seen).update(last_seen_import=job)
        job.created += len(new)
        job.updated += len(changed)
        job.unchanged += len(seen)

    @transaction.atomic
    def _mark_removed(self) -> None:
        """Voters of this file's state and counties that the file no longer holds leave the roll."""
        job = self.job
        # The counties come from the records this import saw, so a resumed run counts the earlier part.
        counties = set(
            VoterRecord.objects.filter(last_seen_import=job).values_list("county", flat=True).distinct()
        )
        gone = VoterRecord.objects.filter(state=job.state, county__in=counties, on_roll=True).exclude(
            last_seen_import=job
        )
        now = timezone.now()
        ids = list(gone.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            VoterRecord.objects.filter(pk__in=chunk).update(on_roll=False, removed_at=now)
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
            VoterRecord.objects.filter(state=state, voter_id__in={r.voter_id for r in rows}).values_list(
                "voter_id", "pk"
            )
        )
        stored = VoteHistory.objects.filter(state=state, voter_id__in={r.voter_id for r in rows})
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
