"""Finding common ground: a round where people write short statements and vote on each other's.

A ``Round`` is held in one body — a committee, a struggle or a coalition (exactly one of three
nullable keys, as decisions.Proposal names its body) — and its participants are that body's
people: the committee's members, the members of the struggle's committees, the coalition's
delegates (commonground.access). Each participant writes statements and votes agree, disagree or
pass on the others'; one ``StatementVote`` per participant and statement, changed in place.
commonground.analysis groups them by how they vote and finds what every group supports.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.coalitions.models import Coalition
from grassroots.committees.models import Committee
from grassroots.people.models import Person
from grassroots.struggles.models import Struggle

BODY_FIELDS = ("committee", "struggle", "coalition")
STATEMENT_LENGTH = 280
JOINED_ACTION = "common_ground"  # the people.Action kind of taking part in a round, once per round


def _one_body() -> Q:
    either = Q(pk__in=[])
    for chosen in BODY_FIELDS:
        either |= Q(**{f"{f}__isnull": f != chosen for f in BODY_FIELDS})
    return either


class Round(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="common_ground_rounds"
    )
    struggle = models.ForeignKey(
        Struggle, null=True, blank=True, on_delete=models.PROTECT, related_name="common_ground_rounds"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.PROTECT, related_name="common_ground_rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("the question"), blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "id"]
        constraints = [models.CheckConstraint(condition=_one_body(), name="round_has_one_body")]

    def __str__(self) -> str:
        return self.title

    @property
    def body(self) -> Committee | Struggle | Coalition:
        found = self.committee or self.struggle or self.coalition
        assert found is not None, "a round always has a body"
        return found

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Statement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=STATEMENT_LENGTH)
    # Empty for a statement the round's coordinator seeded it with.
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="common_ground_statements"
    )
    # Hidden by a coordinator (off topic, or names someone): kept, no longer shown nor counted.
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "created_at", "id"]

    def __str__(self) -> str:
        return self.text


class StatementVote(models.Model):
    class Choice(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="common_ground_votes")
    choice = models.SmallIntegerField(choices=Choice.choices)
    voted_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["statement", "id"]
        constraints = [models.UniqueConstraint(fields=["statement", "person"], name="one_vote_per_statement")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.choice:+d} on {self.statement_id}"
