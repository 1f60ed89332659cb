"""Committees of buildings, streets and neighborhoods: the standing bodies an electorate is organized into.

A committee works in an area (a building, a street, a neighborhood, an election district) or on an
issue or a workplace, and belongs to a larger one (a building's committee to its neighborhood's).
People join it with a role and leave it on dates that are kept, so its history never disappears:
a committee with members or meetings is archived, not deleted (committees.actions).
Meetings have agenda items, attendance (each also an Action on the person's timeline), minutes
and decisions with owners and due dates.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Action, Person
from grassroots.places.models import Area


class Committee(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("Area committee")
        ISSUE = "issue", _("Issue or workplace committee")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AREA)
    # The building, street, neighborhood or election district it organizes; for an issue or
    # workplace committee, the area it draws its members from (empty: only administrators see it).
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="committees")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subcommittees"
    )
    founded_on = models.DateField(default=timezone.localdate)
    dissolved_on = models.DateField(null=True, blank=True)
    # Set instead of deleting a committee that has members or history: it leaves the working
    # lists, the coverage map and the access gate, and everything it recorded stays.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None and self.archived_at is None


def active_committees() -> models.QuerySet[Committee]:
    return Committee.objects.filter(dissolved_on__isnull=True, archived_at__isnull=True)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")
    ORGANIZER = "organizer", _("Organizer")


# Roles that run a committee: a user whose person holds one sees the committee's area.
LEADING_ROLES = (Role.COORDINATOR, Role.ORGANIZER)


def current_on(day: datetime.date | None = None, prefix: str = "") -> Q:
    """Memberships that hold on ``day`` (today by default): joined by then and not yet left."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


class Membership(models.Model):
    """One person in one committee, in one role, from ``joined_on`` until the day before ``left_on``.

    A change of role ends one membership and starts another, so the history reads as it happened.
    The same person's memberships of one committee never overlap (committees.actions refuses it).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["committee", "left_on", "-joined_on", "id"]
        indexes = [models.Index(fields=["person", "committee"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="membership_leaves_after_joining",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.committee_id} ({self.role})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.joined_on <= today and (self.left_on is None or self.left_on > today)


class Meeting(models.Model):
    """One meeting of a committee. A recurring schedule is stored as one row per occurrence,
    sharing ``series`` and the RRULE it was made from, so each occurrence keeps its own agenda,
    attendance and minutes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    series = models.UUIDField(null=True, blank=True, db_index=True)
    recurrence = models.CharField(max_length=200, blank=True, help_text=_("RFC 5545 RRULE"))
    minutes = models.TextField(blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.title} · {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Who came to a meeting; ``action`` is the meeting_attended Action on the person's timeline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meetings_attended")
    action = models.OneToOneField(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.meeting_id}"


class Decision(models.Model):
    """What a committee decided, who carries it out and by when; open until marked done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions_owned"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "created_at", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
