"""The engagement ladder, the follow-up queue and political education.

**Stages** are rungs in order (``position``): voter, contacted, supporter, volunteer, member,
committee member, organizer by default. Each has **rules**, data rather than code: a kind (actions of
some kinds, a door answer, a voter record, a committee role, curriculum sessions completed, doors
canvassed) and its parameters. A person's stage is the highest stage whose rules they meet
(``match``: all of them, or any one); it is computed in the database by ladder.engine, never person
by person, and kept as **spells**: one row per stage a person held, from ``entered_at`` to
``left_at`` (open while it lasts), so the current stage and its history are both stored.

**Queue items** are what an organizer owes a person: a door answer asking to get involved (a
canvass.FollowUp), a first meeting with no next step, a move up the ladder. Each is assigned to an
organizer (the nearest one by scope, or by hand) and marked done.

**Curricula** are ordered sessions with readings; **reading groups** meet on a session; a person's
**progress** says when they attended and completed each session.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Person
from grassroots.places.models import Area


class Stage(models.Model):
    class Match(models.TextChoices):
        ALL = "all", _("all of its rules")
        ANY = "any", _("any one of its rules")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(
        _("position"), unique=True, help_text=_("Higher is further up.")
    )
    match = models.CharField(
        _("a person reaches it with"), max_length=3, choices=Match.choices, default=Match.ANY
    )
    description = models.TextField(_("description"), blank=True)
    # Reaching this stage puts the person in the follow-up queue (off for the lowest rungs, which a
    # voter file import alone fills by the thousand).
    follow_up = models.BooleanField(_("queue a follow-up when someone reaches it"), default=True)
    # A retired stage keeps its history; nobody enters it any more.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class RuleKind(models.TextChoices):
    ACTIONS = "actions", _("Actions of some kinds")
    DOOR_ANSWER = "door_answer", _("An answer at the door")
    VOTER_RECORD = "voter_record", _("Has a voter record")
    COMMITTEE = "committee", _("Member of a committee")
    CURRICULUM = "curriculum", _("Sessions of a curriculum completed")
    CANVASSED = "canvassed", _("Doors knocked as a canvasser")


class Rule(models.Model):
    """One condition of a stage. ``params`` by kind (see ladder.rules for their meaning):

    * actions: ``kinds`` (list), ``count``, ``window_days`` (0: ever), ``result`` (a door's result)
    * door_answer: ``question`` (the answer's key), ``at_least`` (a number) or ``equals`` (a value)
    * voter_record: ``on_roll`` (only records still on the roll)
    * committee: ``roles`` (empty: any role)
    * curriculum: ``curriculum`` (public id), ``count``, ``window_days``
    * canvassed: ``count``, ``window_days``
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["stage__position", "id"]

    def __str__(self) -> str:
        from grassroots.ladder.rules import describe

        return describe(self)


class Spell(models.Model):
    """A person at one stage, from ``entered_at`` until ``left_at`` (open: their current stage).

    ``came_from`` is the stage held before (none: they joined the ladder); ``left_going`` says
    whether they left it moving up or dropping (below it, or off the ladder).
    """

    class Going(models.TextChoices):
        UP = "up", _("moved up")
        DOWN = "down", _("dropped")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stage_spells")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="spells")
    came_from = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(db_index=True)
    left_at = models.DateTimeField(null=True, blank=True, db_index=True)
    left_going = models.CharField(max_length=4, choices=Going.choices, blank=True)
    # Made by the very first update, which records where everyone already stood: not a move.
    initial = models.BooleanField(default=False)

    class Meta:
        ordering = ["person", "-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_at__isnull=True), name="one_open_spell_per_person"
            )
        ]
        indexes = [models.Index(fields=["stage", "left_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.stage_id} from {self.entered_at:%Y-%m-%d}"

    @property
    def moved_up(self) -> bool:
        return self.came_from is None or self.came_from.position < self.stage.position


class LadderUpdate(models.Model):
    """One run of ladder.engine.update_ladder: when, for whom, and what changed."""

    at = models.DateTimeField(db_index=True)
    everyone = models.BooleanField(default=True)
    entered = models.PositiveIntegerField(default=0)
    moved_up = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}: +{self.moved_up} -{self.dropped}"


class QueueItem(models.Model):
    """Something an organizer owes a person. ``key`` makes each one once, whatever the reruns."""

    class Kind(models.TextChoices):
        DOOR = "door", _("Asked at the door")
        FIRST_MEETING = "first_meeting", _("First meeting, no next step")
        MOVED_UP = "moved_up", _("Moved up the ladder")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=80, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="queue_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    follow_up = models.ForeignKey(
        "canvass.FollowUp", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    spell = models.ForeignKey(Spell, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_items"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["assignee", "done_at"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"


# --- political education ---------------------------------------------------------------------------


class Curriculum(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "curricula"

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One session of a curriculum, in order, with its readings (one per line)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    readings = models.TextField(_("readings"), blank=True, help_text=_("One per line."))

    class Meta:
        ordering = ["curriculum", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "position"], name="session_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def reading_list(self) -> list[str]:
        return [line.strip() for line in self.readings.splitlines() if line.strip()]


class ReadingGroup(models.Model):
    """A reading group meeting on one session: on a date and place, as a committee's meeting, or as
    an event (which brings its public page, RSVPs and kiosk sign-in)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="groups")
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("where"), max_length=300, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        "committees.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="reading_groups"
    )
    # The event it is (an events.Event of the reading-group kind, with its RSVPs and sign-in).
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="reading_groups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.session} · {self.starts_at:%Y-%m-%d}"


class Progress(models.Model):
    """How far one person got with one session: attended (came to a group), completed (did the work)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="education")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="progress")
    group = models.ForeignKey(
        ReadingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session__position"]
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="progress_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.session_id}"
