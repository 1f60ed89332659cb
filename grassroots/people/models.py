"""People: one row per human being, their ways to be reached, and the log of every contact."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.places.models import Area, Household


class Tag(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person we know of.

    ``area`` is the narrowest area the person is known to live in: their household's
    area when they have one, else the area they were entered under. It is the key
    the access layer scopes on, kept in step with the household by people.actions.
    A merged person keeps their row, with ``merged_into`` naming the survivor.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    suffix = models.CharField(_("suffix"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="people")
    tags: models.ManyToManyField[Tag, Tagging] = models.ManyToManyField(
        Tag, blank=True, related_name="people", through="Tagging"
    )
    custom_fields = models.JSONField(default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the person asked to be forgotten (people.rights): the row stays, nameless, so that
    # their Actions still count in every figure, but nothing about them as a person is kept.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["first_name"]),
            # Lists of people (the API's pages, their totals) read the people not merged away in
            # the order they were made, with the area the access layer scopes them by: all from
            # this index, never from the rows.
            models.Index(fields=["merged_into", "id", "area"], name="person_live_by_id"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name, self.suffix) if p)


class Tagging(models.Model):
    """One tag on one person: Person.tags' own table, with an id and the date the tag was put on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table Django made for Person.tags before taggings had a model of their own.
        db_table = "people_person_tags"
        unique_together = [("person", "tag")]  # as Django made it for Person.tags

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.person_id}"


class EmailAddress(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254, db_index=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "address"]
        constraints = [models.UniqueConstraint(fields=["person", "address"], name="email_unique_per_person")]

    def __str__(self) -> str:
        return self.address


class PhoneNumber(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        HOME = "home", _("Home")
        WORK = "work", _("Work")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=20, db_index=True, help_text=_("E.164"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "number"]
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="phone_unique_per_person")]

    def __str__(self) -> str:
        from grassroots.lib.phones import format_phone

        return format_phone(self.number)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text messages")
    CALL = "call", _("Phone calls")
    DOOR = "door", _("Door knocks")


class Consent(models.Model):
    """Whether a person agreed to be contacted on one channel, when, and how we learned it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=100)
    # The exact words the person agreed to (a sign-up form's consent line), when we have them.
    wording = models.TextField(blank=True)

    class Meta:
        ordering = ["channel"]
        constraints = [models.UniqueConstraint(fields=["person", "channel"], name="consent_one_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {'yes' if self.granted else 'no'}"


class Action(models.Model):
    """One contact with a person: a door knocked, an RSVP, a signature, a meeting attended...

    The one log of every interaction; the ladder, follow-ups and dashboards are
    computed from it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions")
    kind = models.SlugField(max_length=40, db_index=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} · {self.occurred_at:%Y-%m-%d}"
