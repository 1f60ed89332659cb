"""Election results: elections, their contests and candidates, votes and ballots counted per area.

Results are public aggregates, not personal data. Each vote row keeps the area key its file
gave (an NYC election district is "36012", Assembly District * 1000 + ED) and, when an area
has that key as its code, the area itself; a row whose key matches no area is kept with
``area`` empty — the "not placed" bucket — so that a contest's totals always add up to the file.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.lib.jobs import FileImportJob
from grassroots.places.models import Area


class Election(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        PRIMARY = "primary", _("Primary")
        SPECIAL = "special", _("Special")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "name"]
        constraints = [models.UniqueConstraint(fields=["date", "name"], name="election_unique_name_on_date")]

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    """One race on the ballot: an office, its district (blank for a statewide or citywide office) and,
    in a primary, the party whose primary it is. A general election's ballot lines are on the votes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    office = models.CharField(max_length=200)
    district = models.CharField(max_length=40, blank=True)
    party = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["office", "district", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "office", "district", "party"], name="contest_unique_per_election"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """ "U.S. House 14 (Democratic primary)", "President"."""
        name = f"{self.office} {self.district}".strip()
        return f"{name} ({self.party} primary)" if self.party else name


class Candidate(models.Model):
    """A name on the ballot of one contest, or the write-ins counted together ("Scattered")."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        WRITE_INS = "write_ins", _("Write-ins")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    # The party of a primary, or in a general election the ballot line that brought the most votes
    # (a candidate may run on several lines; each line's votes are kept on AreaVotes.ballot_line).
    party = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CANDIDATE)

    class Meta:
        ordering = ["contest", "name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="candidate_unique_per_contest")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_write_ins(self) -> bool:
        return self.kind == self.Kind.WRITE_INS


class ResultsImport(FileImportJob):
    """One run of a results import: what was read, where it landed, and what went wrong where.

    ``votes_total`` is every vote the file gave; ``votes_placed`` and ``votes_not_placed`` split it
    by whether the row's area key matched an area, and always add up to it.
    """

    format = models.CharField(max_length=20)
    # Format options: the column mapping of a generic CSV, the election named on the command line.
    options = models.JSONField(default=dict, blank=True)
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    vote_rows = models.PositiveIntegerField(default=0)
    ballot_rows = models.PositiveIntegerField(default=0)
    contests = models.PositiveIntegerField(default=0)
    # Rows of an earlier import of the same file, replaced by this one.
    replaced_rows = models.PositiveIntegerField(default=0)
    placed_rows = models.PositiveIntegerField(default=0)
    not_placed_rows = models.PositiveIntegerField(default=0)
    votes_total = models.BigIntegerField(default=0)
    votes_placed = models.BigIntegerField(default=0)
    votes_not_placed = models.BigIntegerField(default=0)
    not_placed_keys = models.JSONField(default=list, blank=True)


class ResultsRowError(models.Model):
    results_import = models.ForeignKey(ResultsImport, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class AreaVotes(models.Model):
    """The votes one candidate got in one area, on one ballot line (blank in a primary)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="votes")
    area_key = models.CharField(max_length=64)
    # Empty when no area has the key: the row is counted "not placed".
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ballot_line = models.CharField(max_length=60, blank=True)
    votes = models.PositiveIntegerField()
    source = models.ForeignKey(ResultsImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "area_key", "candidate", "ballot_line"], name="area_votes_once"
            )
        ]
        indexes = [models.Index(fields=["contest", "area"])]

    def __str__(self) -> str:
        return f"{self.area_key}: {self.votes}"


class BallotCount(models.Model):
    """Ballots counted in one area, by how they were cast: counts, not votes for anyone.

    With a contest, the ballots of that contest (a primary's files give them per contest);
    without one, the ballots of the whole election in the area (a general election's files).
    """

    class Kind(models.TextChoices):
        PUBLIC_COUNTER = "public_counter", _("Public counter (scanned at the polls)")
        EMERGENCY = "emergency", _("Emergency")
        MANUALLY_COUNTED_EMERGENCY = "manual_emergency", _("Manually counted emergency")
        ABSENTEE_MILITARY = "absentee_military", _("Absentee / military")
        FEDERAL = "federal", _("Federal")
        AFFIDAVIT = "affidavit", _("Affidavit")
        SPECIAL_PRESIDENTIAL = "special_presidential", _("Special presidential")
        BALLOTS = "ballots", _("Ballots cast")
        BLANK = "blank", _("Blank")
        VOID = "void", _("Void")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballot_counts")
    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.CASCADE, related_name="ballot_counts"
    )
    area_key = models.CharField(max_length=64)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    count = models.PositiveIntegerField()
    source = models.ForeignKey(ResultsImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "area_key", "kind"],
                condition=Q(contest__isnull=False),
                name="ballot_count_once_per_contest",
            ),
            models.UniqueConstraint(
                fields=["election", "area_key", "kind"],
                condition=Q(contest__isnull=True),
                name="ballot_count_once_per_election",
            ),
        ]
        indexes = [models.Index(fields=["election", "contest", "area"])]

    def __str__(self) -> str:
        return f"{self.area_key} {self.kind}: {self.count}"


# Ballot kinds that are ballots cast; blank and void ballots are among them, not beside them.
BALLOTS_CAST = frozenset(BallotCount.Kind) - {BallotCount.Kind.BLANK, BallotCount.Kind.VOID}
