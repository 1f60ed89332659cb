"""Proposals and votes: how a committee, a struggle or a coalition decides together.

A ``Proposal`` belongs to one *body*, named by one of a few explicit, nullable foreign keys
(``BODY_FIELDS``: a committee, a struggle or a coalition). Explicit keys, not a generic relation,
because each body answers "who may vote" from its own membership records (decisions.bodies), the
database keeps the references whole (PROTECT: a body with proposals cannot vanish) and the access
gate filters proposals with ordinary joins. A check constraint holds exactly one of them.

Its text can be amended while it is a draft; members discuss it in comments; a coordinator
opens it (eligibility is then read from the membership records *of that day*) and it closes at
its deadline, or earlier by a coordinator, when its result is counted and kept in ``result``.

**Secret ballots.** A vote is two rows written in one transaction: a ``VoterReceipt`` (this person
voted on this proposal, and when: public to the body) and a ``Ballot`` (the choice). For an open
vote the receipt points at its ballot. For a secret one nothing does: the ballot has no person,
no user, no timestamp and a random UUID key; after each secret vote the proposal's ballots are
rewritten in a random order under fresh random keys (decisions.actions), so neither insertion
order (SQLite's rowid, PostgreSQL's physical order and transaction ids) nor keys pair a ballot
with the receipt written beside it. (Deleted rows a database keeps until it vacuums them are
beyond the application's reach: guard the database files and backups like ballot boxes.) The voter
alone can change their ballot, with the ballot key they were given (only its hash is stored). The
admin registers no ballot or receipt view.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.models import Committee
from grassroots.people.models import Person
from grassroots.struggles.models import Struggle

# The Proposal fields that can name its body; exactly one is set. A new kind of body adds its
# field here and a provider in decisions.bodies.
BODY_FIELDS = ("committee", "struggle", "coalition")


def one_body(fields: tuple[str, ...] = BODY_FIELDS) -> Q:
    """Exactly one of ``fields`` is set."""
    either = Q(pk__in=[])
    for chosen in fields:
        either |= Q(**{f"{chosen}__isnull": False}) & Q(
            **{f"{other}__isnull": True for other in fields if other != chosen}
        )
    return either


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for votes")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        MAJORITY = "majority", _("Simple majority")
        SUPERMAJORITY = "supermajority", _("Supermajority")
        CONSENT = "consent", _("Consent")
        INSTANT_RUNOFF = "irv", _("Ranked choice, one seat (instant runoff)")
        STV = "stv", _("Ranked choice, several seats (single transferable vote)")

    RANKED = (Method.INSTANT_RUNOFF, Method.STV)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    struggle = models.ForeignKey(
        Struggle, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    coalition = models.ForeignKey(
        "coalitions.Coalition", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    method = models.CharField(_("decision method"), max_length=15, choices=Method.choices)
    # Supermajority: yes must reach numerator/denominator of yes and no (two thirds by default).
    threshold_numerator = models.PositiveSmallIntegerField(default=2)
    threshold_denominator = models.PositiveSmallIntegerField(default=3)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    quorum = models.PositiveIntegerField(
        _("quorum"), default=0, help_text=_("How many eligible members must vote (0: no quorum).")
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    # Eligibility is read from the membership records of this day.
    opened_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [models.CheckConstraint(condition=one_body(), name="proposal_has_one_body")]

    def __str__(self) -> str:
        return self.title

    @property
    def body(self) -> models.Model:
        found = next((getattr(self, name) for name in BODY_FIELDS if getattr(self, f"{name}_id")), None)
        assert found is not None, "a proposal always has a body"
        return found

    @property
    def threshold(self) -> Fraction:
        return Fraction(self.threshold_numerator, self.threshold_denominator)

    @property
    def is_ranked(self) -> bool:
        return self.method in self.RANKED

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.deadline


class Option(models.Model):
    """A choice on a ranked ballot: an option, or a person standing for election."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return self.label


class Amendment(models.Model):
    """A change to a draft's text: the passage it replaces and what replaces it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    original = models.TextField(_("text it changes"))
    replacement = models.TextField(_("new text"), blank=True)
    reason = models.TextField(_("why"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "proposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.original[:40]} → {self.replacement[:40]}"


class Comment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Objection(models.Model):
    """An objection under consent: it blocks the proposal until its author withdraws it.

    Anyone running the proposal, or its author, answers it; the objector then withdraws it (or
    lets it stand). The proposal passes by consent only when no objection stands at the close.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="objections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "raised_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def stands(self) -> bool:
        return self.withdrawn_at is None


class Ballot(models.Model):
    """One vote's content. No person, no user, no time: see the module's docstring."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")
        CONSENT = "consent", _("Consent")
        STAND_ASIDE = "stand_aside", _("Stand aside")
        OBJECT = "object", _("Object")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=12, choices=Choice.choices, blank=True)
    # Ranked ballots: option public ids as strings, most preferred first.
    ranking = models.JSONField(default=list, blank=True)
    # Secret ballots: sha256 of the proposal's id and the key only the voter holds.
    key_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["proposal", "id"]

    def __str__(self) -> str:
        return f"ballot on {self.proposal_id}"


class VoterReceipt(models.Model):
    """That a person voted on a proposal, and when. For an open vote, also which ballot is theirs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)
    # Open votes only; always empty under a secret ballot (decisions.actions never sets it there).
    ballot = models.OneToOneField(Ballot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["proposal", "voted_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="one_receipt_per_voter")]

    def __str__(self) -> str:
        return f"{self.person_id} voted on {self.proposal_id}"
