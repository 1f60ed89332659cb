"""Importing a results file: read it through its format, then write it in one transaction.

``run_import(results_import)`` reads the whole file first (a results file is one row per
area, contest and candidate: hundreds of thousands of rows at most), collecting bad rows
with their line numbers: duplicates of an area, contest and candidate, negative or
non-numeric votes. Then one transaction finds or creates the election, its contests and
candidates, removes the rows an earlier import of a file of the same name wrote for the
contests and areas this file holds (so re-importing a file is idempotent, and another
county's file of the same name is left alone), and inserts the votes and ballot counts,
each placed in the area whose code is its area key, or left "not placed" when no area has
that key. The files of one election by county add up into the same election and contests;
an area a row of another file already gave is reported, not counted twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from grassroots.lib.uploads import HEAD_BYTES, not_text
from grassroots.places.models import Area, AreaKind
from grassroots.results.formats import BallotRow, ContestKey, FormatError, RowError, VoteRow, get_format
from grassroots.results.models import (
    AreaVotes,
    BallotCount,
    Candidate,
    Contest,
    Election,
    ResultsImport,
    ResultsRowError,
)
from grassroots.voters.importer import insert_rows
from grassroots.voters.layouts import LayoutError, open_voter_file

log = logging.getLogger(__name__)

PROGRESS_ROWS = 20_000
KEY_CHUNK = 2000
_VOTE_COLUMNS = (
    "contest_id",
    "candidate_id",
    "area_key",
    "area_id",
    "ballot_line",
    "votes",
    "source_id",
    "line",
)
_BALLOT_COLUMNS = ("election_id", "contest_id", "area_key", "area_id", "kind", "count", "source_id", "line")

VoteKey = tuple[ContestKey, str, str, str]  # contest, area key, candidate, ballot line
BallotKey = tuple[ContestKey | None, str, str]  # contest (None: the whole election), area key, kind


@dataclass
class FileRows:
    """What a file holds once read: its rows by what makes them unique, and the bad rows."""

    votes: dict[VoteKey, VoteRow] = field(default_factory=dict)
    ballots: dict[BallotKey, BallotRow] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)


def default_election_name(when: date, kind: str) -> str:
    """ "Primary election, June 23, 2020"."""
    label = Election.Kind(kind).label if kind in Election.Kind.values else kind.capitalize()
    return f"{label} election, {when:%B} {when.day}, {when.year}"


def natural_key(key: str) -> tuple[Any, ...]:
    """Sort area keys as people read them: "9" before "10", "36009" before "36012"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", key)
    )


class Importer:
    def __init__(
        self, results_import: ResultsImport, progress: Callable[[ResultsImport], None] | None = None
    ) -> None:
        self.job = results_import
        self.progress = progress

    def run(self) -> ResultsImport:
        job = self.job
        job.status, job.started_at, job.message = ResultsImport.Status.RUNNING, timezone.now(), ""
        job.save(update_fields=["status", "started_at", "message"])
        try:
            election_date, kind, name = self._election_facts()
            rows = self._read(kind)
            self._write(rows, election_date, kind, name)
        except (FormatError, LayoutError) as exc:
            job.status, job.message = ResultsImport.Status.FAILED, str(exc)
        except Exception as exc:
            log.exception("results import %s failed", job.public_id)
            job.status, job.message = ResultsImport.Status.FAILED, f"The import stopped: {exc}"
        else:
            job.status = ResultsImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        return job

    # -- reading ---------------------------------------------------------------------------

    def _election_facts(self) -> tuple[date, str, str]:
        """The election's date, kind and name: from the options, else from the file's name."""
        options = self.job.options
        facts = get_format(self.job.format).facts_from_name(self.job.file_name)
        when: date | None = facts.date
        if options.get("election_date"):
            try:
                when = date.fromisoformat(str(options["election_date"]))
            except ValueError:
                raise FormatError(
                    f"Unreadable election date {options['election_date']!r}: use YYYY-MM-DD."
                ) from None
        if when is None:
            raise FormatError("The file's name does not say the election's date: give it (YYYY-MM-DD).")
        kind = str(options.get("election_kind") or facts.kind or Election.Kind.GENERAL)
        if kind not in Election.Kind.values:
            raise FormatError(f"Unknown election kind {kind!r}: one of {', '.join(Election.Kind.values)}.")
        name = " ".join(str(options.get("election_name") or "").split())
        return when, kind, name

    def _read(self, kind: str) -> FileRows:
        job = self.job
        reader = get_format(job.format)(job.options, election_kind=kind)
        rows = FileRows()
        job.file_size = Path(job.file_path).stat().st_size
        with open(job.file_path, "rb") as raw:
            reason = not_text(raw.read(HEAD_BYTES))
        if reason:
            raise FormatError(reason)
        stream, _ = open_voter_file(job.file_path)
        with stream:
            for n, item in enumerate(reader.read(stream), start=1):
                rows.lines.add(item.line)
                if isinstance(item, RowError):
                    rows.errors.append(item)
                elif too_long := _too_long(item):
                    rows.errors.append(RowError(item.line, too_long))
                elif isinstance(item, VoteRow):
                    vote_key: VoteKey = (item.contest, item.area_key, item.candidate, item.ballot_line)
                    first = rows.votes.setdefault(vote_key, item)
                    if first is not item:
                        line = f" on the {item.ballot_line} line" if item.ballot_line else ""
                        rows.errors.append(
                            RowError(item.line, f"duplicate of line {first.line}: {item.candidate}{line} "
                                     f"in {_contest_label(item.contest)} again for area {item.area_key}")
                        )  # fmt: skip
                else:
                    ballot_key: BallotKey = (item.contest, item.area_key, item.kind)
                    first_ballots = rows.ballots.setdefault(ballot_key, item)
                    if first_ballots is not item:
                        reason = f"duplicate of line {first_ballots.line}: {item.kind} ballots again"
                        rows.errors.append(RowError(item.line, f"{reason} for area {item.area_key}"))
                if n % PROGRESS_ROWS == 0:
                    job.bytes_done = stream.buffer.tell()
                    job.rows_read = len(rows.lines)
                    self._report()
        job.bytes_done, job.rows_read = job.file_size, len(rows.lines)
        return rows

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.job)

    # -- writing ---------------------------------------------------------------------------

    @transaction.atomic
    def _write(self, rows: FileRows, when: date, kind: str, name: str) -> None:
        job = self.job
        election = _election(when, kind, name)
        job.election = election
        contests = _contests(election, {k[0] for k in rows.votes} | {k[0] for k in rows.ballots if k[0]})
        candidates = _candidates(contests, rows.votes.values())

        # Replace what an earlier import of a file of this name wrote into this election, in the
        # contests and areas this file gives: a name is no proof of the same file (every county's
        # export may be called results.csv), and one county's file must not wipe out another's.
        earlier = ResultsImport.objects.filter(election=election, file_name=job.file_name).exclude(pk=job.pk)
        replaced, kept = _replace_earlier(
            AreaVotes.objects.filter(source__in=earlier),
            {(contests[k[0]].pk, k[1]) for k in rows.votes},
        )
        replaced_ballots, kept_ballots = _replace_earlier(
            BallotCount.objects.filter(source__in=earlier),
            {(contests[k[0]].pk if k[0] else None, k[1]) for k in rows.ballots},
        )
        job.replaced_rows = replaced + replaced_ballots
        if kept + kept_ballots:
            job.message = (
                f"{kept + kept_ballots:,} rows an earlier import of a file named {job.file_name} gave, "
                "for areas this file does not hold, were kept: if it replaces that file, check them."
            )

        # Areas other files of the election already gave, per contest (None: the election's ballots).
        taken_votes = set(
            AreaVotes.objects.filter(contest__in=contests.values())
            .values_list("contest_id", "area_key")
            .distinct()
        )
        taken_ballots = set(
            BallotCount.objects.filter(election=election).values_list("contest_id", "area_key").distinct()
        )
        keys = {k[1] for k in rows.votes} | {k[1] for k in rows.ballots}
        areas = _areas_by_code(keys, str(job.options.get("area_kind") or AreaKind.ELECTION_DISTRICT))

        vote_values: list[tuple[Any, ...]] = []
        placed_keys: set[str] = set()
        unplaced_keys: set[str] = set()
        for row in rows.votes.values():
            contest = contests[row.contest]
            if (contest.pk, row.area_key) in taken_votes:
                rows.errors.append(RowError(row.line, f"area {row.area_key} of {contest.name} was already "
                                                      "imported from another file"))  # fmt: skip
                continue
            area_id = areas.get(row.area_key)
            candidate = candidates[(contest.pk, row.candidate)]
            vote_values.append(
                (
                    contest.pk,
                    candidate.pk,
                    row.area_key,
                    area_id,
                    row.ballot_line,
                    row.votes,
                    job.pk,
                    row.line,
                )
            )
            job.votes_total += row.votes
            if area_id is None:
                job.not_placed_rows += 1
                job.votes_not_placed += row.votes
                unplaced_keys.add(row.area_key)
            else:
                job.placed_rows += 1
                job.votes_placed += row.votes
                placed_keys.add(row.area_key)
        ballot_values: list[tuple[Any, ...]] = []
        for ballots in rows.ballots.values():
            contest_id = contests[ballots.contest].pk if ballots.contest else None
            if (contest_id, ballots.area_key) in taken_ballots:
                rows.errors.append(RowError(ballots.line, f"the ballots of area {ballots.area_key} were "
                                                          "already imported from another file"))  # fmt: skip
                continue
            area_id = areas.get(ballots.area_key)
            ballot_values.append(
                (election.pk, contest_id, ballots.area_key, area_id, ballots.kind, ballots.count, job.pk,
                 ballots.line)
            )  # fmt: skip
            if area_id is None:
                unplaced_keys.add(ballots.area_key)
        insert_rows(AreaVotes, _VOTE_COLUMNS, vote_values)
        insert_rows(BallotCount, _BALLOT_COLUMNS, ballot_values)
        if kind != Election.Kind.PRIMARY:
            _main_lines(list(contests.values()))

        job.vote_rows, job.ballot_rows, job.contests = len(vote_values), len(ballot_values), len(contests)
        job.not_placed_keys = sorted(unplaced_keys, key=natural_key)
        rows.errors.sort(key=lambda e: e.line)
        ResultsRowError.objects.bulk_create(
            [
                ResultsRowError(results_import=job, line=e.line, reason=e.reason[:500], raw=e.raw)
                for e in rows.errors
            ],
            batch_size=1000,
        )
        job.error_count = len(rows.errors)
        job.save()


def _replace_earlier(earlier_rows: QuerySet[Any], covered: set[tuple[int | None, str]]) -> tuple[int, int]:
    """Delete the earlier rows whose (contest, area key) is in ``covered``; how many were deleted
    and how many were kept."""
    gone: list[int] = []
    kept = 0
    for pk, contest_id, area_key in earlier_rows.values_list("pk", "contest_id", "area_key").iterator():
        if (contest_id, area_key) in covered:
            gone.append(pk)
        else:
            kept += 1
    for start in range(0, len(gone), KEY_CHUNK):
        earlier_rows.model.objects.filter(pk__in=gone[start : start + KEY_CHUNK]).delete()
    return len(gone), kept


# The longest value of each text the database keeps: a longer one is a damaged row, not a name.
_LIMITS = (
    ("area key", "area_key", 64), ("office", "office", 200), ("district", "district", 40),
    ("party", "party", 60), ("candidate", "candidate", 200), ("ballot line", "ballot_line", 60),
)  # fmt: skip


def _too_long(item: VoteRow | BallotRow) -> str:
    """Why a row cannot be stored as it is ("" when it can): a value longer than its column."""
    for label, name, limit in _LIMITS:
        holder = item.contest if name in ("office", "district", "party") else item
        value = getattr(holder, name, "") if holder is not None else ""
        if len(value) > limit:
            return f"the {label} is longer than {limit} characters"
    return ""


def _contest_label(contest: ContestKey) -> str:
    name = f"{contest.office} {contest.district}".strip()
    return f"{name} ({contest.party} primary)" if contest.party else name


def _election(when: date, kind: str, name: str) -> Election:
    """The election of that date and name (or, unnamed, of that date and kind), created if new."""
    found = (
        Election.objects.filter(date=when, name=name)
        if name
        else Election.objects.filter(date=when, kind=kind).order_by("pk")
    ).first()
    if found is None:
        found = Election.objects.create(date=when, kind=kind, name=name or default_election_name(when, kind))
    return found


def _contests(election: Election, wanted: set[ContestKey]) -> dict[ContestKey, Contest]:
    existing = {
        ContestKey(c.office, c.district, c.party): c for c in Contest.objects.filter(election=election)
    }
    missing = [ContestKey(k.office[:200], k.district[:40], k.party[:60]) for k in wanted if k not in existing]
    if missing:
        Contest.objects.bulk_create(
            Contest(election=election, office=k.office, district=k.district, party=k.party) for k in missing
        )
        existing = {
            ContestKey(c.office, c.district, c.party): c for c in Contest.objects.filter(election=election)
        }
    return {k: existing[ContestKey(k.office[:200], k.district[:40], k.party[:60])] for k in wanted}


def _candidates(
    contests: dict[ContestKey, Contest], rows: Iterable[VoteRow]
) -> dict[tuple[int, str], Candidate]:
    """(contest pk, name) -> the candidate, the new ones created."""
    by_pk = {c.pk: c for c in contests.values()}
    existing = {(c.contest_id, c.name): c for c in Candidate.objects.filter(contest__in=by_pk.values())}
    missing: dict[tuple[int, str], Candidate] = {}
    for row in rows:
        contest = contests[row.contest]
        key = (contest.pk, row.candidate)
        if key not in existing and key not in missing:
            missing[key] = Candidate(
                contest=contest,
                name=row.candidate[:200],
                party=contest.party,
                kind=Candidate.Kind.WRITE_INS if row.write_ins else Candidate.Kind.CANDIDATE,
            )
    if missing:
        Candidate.objects.bulk_create(missing.values())
        existing = {(c.contest_id, c.name): c for c in Candidate.objects.filter(contest__in=by_pk.values())}
    return existing


def _areas_by_code(keys: set[str], kind: str) -> dict[str, int]:
    """Area key -> the pk of the area of ``kind`` with that code (the oldest, should two share it)."""
    found: dict[str, int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), KEY_CHUNK):
        chunk = ordered[start : start + KEY_CHUNK]
        for code, pk in (
            Area.objects.filter(kind=kind, code__in=chunk).order_by("pk").values_list("code", "pk")
        ):
            found.setdefault(code, pk)
    return found


def _main_lines(contests: list[Contest]) -> None:
    """In a general election, each candidate's party is the ballot line that brought them the most votes."""
    best: dict[int, tuple[int, str]] = {}
    sums = (
        AreaVotes.objects.filter(contest__in=contests)
        .exclude(ballot_line="")
        .values_list("candidate_id", "ballot_line")
        .annotate(total=Sum("votes"))
    )
    for candidate_id, line, total in sums:
        if candidate_id not in best or (total, line) > best[candidate_id]:
            best[candidate_id] = (total, line)
    changed = []
    for candidate in Candidate.objects.filter(pk__in=best):
        line = best[candidate.pk][1][:60]
        if candidate.party != line:
            candidate.party = line
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["party"])


def run_import(
    results_import: ResultsImport, progress: Callable[[ResultsImport], None] | None = None
) -> ResultsImport:
    return Importer(results_import, progress).run()
