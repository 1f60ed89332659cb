"""Canvassing: who to visit (a universe of areas), how it is cut (turfs of doors in walking order),
and what happened at each door (visits, recorded by phones that may be offline)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Person
from grassroots.places.models import Area, Household


class Script(models.Model):
    """What a canvasser asks at a door where someone talks: questions in order, some asked only after
    a given answer to an earlier one. Organizers write scripts; a universe uses one (the standard
    script when it names none)."""

    STANDARD = "Standard door script"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    introduction = models.TextField(blank=True, help_text=_("What the canvasser says first."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question of a script.

    The answer is stored in a visit's ``answers`` under ``key``, typed by ``kind``. ``ask_if_key`` and
    ``ask_if_values`` branch: the question is asked only when the earlier question's answer is one of
    those values. When the answer is one of ``trigger_values`` (for text: any answer) the person gets
    ``tag`` and an organizer a follow-up saying ``follow_up``. A question that has answers keeps its key,
    kind and branch; it is retired rather than deleted, so that phones still holding it can send them.
    """

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale (e.g. support 1–5)")
        YES_NO = "yes_no", _("Yes or no")
        CHOICE = "choice", _("One of several choices")
        TEXT = "text", _("Text")

    # The API's id for the question (integer keys never leave the server).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True)  # for CHOICE: the allowed answers, in order
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    ask_if_key = models.SlugField(max_length=40, blank=True)
    ask_if_values = models.JSONField(default=list, blank=True)
    trigger_values = models.JSONField(default=list, blank=True)
    tag = models.CharField(max_length=100, blank=True)
    follow_up = models.CharField(max_length=200, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["script", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["script", "key"], name="question_key_once_per_script")]

    def __str__(self) -> str:
        return f"{self.script_id}:{self.key}"


class Universe(models.Model):
    """The doors a canvass means to knock: every household in its areas.

    ``source`` records how it was chosen (e.g. the target score and its weights), so an organizer
    can see later why these areas and not others.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    # What canvassers are shown, when it differs from the organizers' name, and what it is for.
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    areas = models.ManyToManyField(Area, related_name="universes")
    source = models.JSONField(default=dict, blank=True)
    # Who in those areas: {"tags": [names], "not_contacted_days": N, "statuses": [...], "parties": [...],
    # "voted": [dates], "not_voted": [dates]}; a door is in the universe when someone living there is
    # chosen by all the filters given (canvass.actions.universe_people).
    filters = models.JSONField(default=dict, blank=True)
    script = models.ForeignKey(
        Script, null=True, blank=True, on_delete=models.PROTECT, related_name="universes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A time to canvass a universe together: where to meet, when, how many can come. Canvassers sign
    up; the organizer gives each a turf (alone or in pairs) for the shift."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    universe = models.ForeignKey(Universe, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    meeting_point = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(default=0, help_text=_("0: no limit."))
    canvassers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="canvass_shifts")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.universe.name}, {self.starts_at:%Y-%m-%d %H:%M}"


class Turf(models.Model):
    """The doors one canvasser (or a pair) walks: households of a universe, in walking order."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    universe = models.ForeignKey(Universe, on_delete=models.CASCADE, related_name="turfs")
    number = models.PositiveIntegerField()
    households: models.ManyToManyField[Household, TurfDoor] = models.ManyToManyField(
        Household, through="TurfDoor", related_name="turfs"
    )
    canvassers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="turfs")
    # An organizer moved doors into it by hand: a re-cut keeps it as it is unless told otherwise.
    hand_edited = models.BooleanField(default=False)
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="turfs")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["universe", "number"]
        constraints = [models.UniqueConstraint(fields=["universe", "number"], name="turf_number_once")]

    def __str__(self) -> str:
        return f"{self.universe.name}, turf {self.number}"


class TurfDoor(models.Model):
    turf = models.ForeignKey(Turf, on_delete=models.CASCADE, related_name="doors")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)  # in the walk list

    class Meta:
        ordering = ["turf", "position"]
        constraints = [models.UniqueConstraint(fields=["turf", "household"], name="door_once_per_turf")]

    def __str__(self) -> str:
        return f"{self.turf_id}:{self.position}"


class Visit(models.Model):
    """One knock on one door, as the canvasser's phone recorded it.

    ``public_id`` is made by the phone when the visit is recorded, offline or not: the server
    applies a visit once whatever the number of times its upload is retried. Two canvassers at
    one door make two visits, both kept.
    """

    class Result(models.TextChoices):
        CONTACT = "contact", _("Talked")
        NOT_HOME = "not_home", _("Not home")
        REFUSED = "refused", _("Refused")
        MOVED = "moved", _("Moved")
        INACCESSIBLE = "inaccessible", _("Inaccessible")
        DECEASED = "deceased", _("Deceased")
        LANGUAGE = "language_barrier", _("Language barrier")
        COME_BACK = "come_back", _("Come back later")

    public_id = models.UUIDField(unique=True, editable=False)
    turf = models.ForeignKey(Turf, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    canvasser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    result = models.CharField(max_length=20, choices=Result.choices)
    language = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    visited_at = models.DateTimeField()  # the phone's clock
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["turf", "household"])]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.result}"


class FollowUp(models.Model):
    """Something an organizer owes a person after a door: they want to get involved, they asked
    about a tenants' meeting, they raised an issue. Made from the visit's answers (canvass.sync)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_ups")
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "-created_at"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason}"
