"""Voter files: each import as a job, each voter record as the state keeps it, and vote history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.lib.jobs import FileImportJob
from grassroots.people.models import Person
from grassroots.places.models import Area, Household


class ColumnMapping(models.Model):
    """A saved mapping of a generic CSV's columns to voter fields, reusable for the next file."""

    name = models.CharField(max_length=100, unique=True)
    mapping = models.JSONField(default=dict)  # {field: column header}
    state = models.CharField(max_length=2, blank=True)
    date_format = models.CharField(max_length=20, default="%m/%d/%Y")
    delimiter = models.CharField(max_length=2, default=",")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VoterImport(FileImportJob):
    """One run of a voter-file import: what was read, what it did, and what went wrong where."""

    layout = models.CharField(max_length=20)
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL)
    history_path = models.CharField(max_length=1000, blank=True)
    state = models.CharField(max_length=2, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    # Progress and counts. ``lines_done`` is the last file line whose batch is committed:
    # a resumed import skips up to it.
    lines_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    history_rows = models.PositiveIntegerField(default=0)
    people_linked = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    sent_to_review = models.PositiveIntegerField(default=0)


class ImportRowError(models.Model):
    voter_import = models.ForeignKey(VoterImport, on_delete=models.CASCADE, related_name="row_errors")
    file = models.CharField(max_length=10, default="voters")  # "voters" or "history"
    line = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    raw = models.TextField(blank=True)
    # The refused row's voter id, when it could be read: that voter stays on the roll (the
    # importer's _mark_removed), also when the import is resumed after being stopped.
    voter_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["file", "line"]
        constraints = [
            models.UniqueConstraint(fields=["voter_import", "file", "line", "reason"], name="row_error_once")
        ]

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.reason}"


class VoterRecord(models.Model):
    """One registration as the state keeps it. Never deleted: a voter missing from a newer
    file is marked removed from the roll."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=2)
    voter_id = models.CharField(max_length=40)
    layout = models.CharField(max_length=20)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    suffix = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=10, blank=True)
    race = models.CharField(max_length=10, blank=True)
    ethnicity = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, blank=True, db_index=True)
    status_reason = models.CharField(max_length=40, blank=True)
    party = models.CharField(max_length=10, blank=True, db_index=True)
    registration_date = models.DateField(null=True, blank=True)
    street_line = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=100, blank=True)
    residence_state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    county = models.CharField(max_length=60, blank=True)
    precinct = models.CharField(max_length=40, blank=True, db_index=True)
    precinct_name = models.CharField(max_length=100, blank=True)
    districts = models.JSONField(default=dict, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=254, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    row_hash = models.CharField(max_length=32)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="voters"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="voter_records")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="voter_records"
    )
    on_roll = models.BooleanField(default=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    first_import = models.ForeignKey(VoterImport, null=True, on_delete=models.SET_NULL, related_name="+")
    last_seen_import = models.ForeignKey(VoterImport, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["state", "voter_id"], name="voter_unique_per_state")]
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["state", "county"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.state} {self.voter_id})"

    def label(self, kind: str) -> str:
        """A code of this record ("party", "status", "race", ...) decoded by its layout for display."""
        from grassroots.voters.layouts import LAYOUTS

        code = getattr(self, kind)
        layout = LAYOUTS.get(self.layout)
        return layout.label(kind, code) if layout else code

    @property
    def label_status(self) -> str:
        return self.label("status")

    @property
    def label_party(self) -> str:
        return self.label("party")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name, self.suffix) if p)

    @property
    def address(self) -> str:
        street = f"{self.street_line} {self.unit}".strip()
        tail = " ".join(p for p in (self.residence_state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, tail) if p)


class VoterRecordChange(models.Model):
    """What a newer file changed in a record: {field: [old, new]}."""

    record = models.ForeignKey(VoterRecord, on_delete=models.CASCADE, related_name="changes")
    voter_import = models.ForeignKey(VoterImport, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.record_id}: {', '.join(sorted(self.changes))}"


class VoteHistory(models.Model):
    """One election a voter took part in, as the state's history file says."""

    state = models.CharField(max_length=2)
    voter_id = models.CharField(max_length=40)
    record = models.ForeignKey(VoterRecord, null=True, on_delete=models.SET_NULL, related_name="history")
    election_date = models.DateField()
    election_name = models.CharField(max_length=200)
    election_type = models.CharField(max_length=40, blank=True)
    method = models.CharField(max_length=60, blank=True)
    party = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-election_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "voter_id", "election_date", "election_name"],
                name="history_once_per_election",
            )
        ]
        indexes = [models.Index(fields=["state", "voter_id"])]

    def __str__(self) -> str:
        return f"{self.state} {self.voter_id} voted {self.election_date}"


class MatchReview(models.Model):
    """A possible match in the grey zone, waiting for a person to decide."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Same person")
        REJECTED = "rejected", _("Different people")
        UNSURE = "unsure", _("Not sure")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(
        VoterRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_reviews")
    # For person-to-person matches (duplicates among people), the other person.
    other_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="match_reviews_as_other"
    )
    weight = models.FloatField()
    probability = models.FloatField()
    explanation = models.JSONField(default=list)
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "person"], name="review_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"review {self.public_id} ({self.get_decision_display()})"
