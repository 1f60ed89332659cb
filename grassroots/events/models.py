"""Events, the RSVPs and attendance they gather, organizing-meeting agendas, and public sign-up forms.

An event is where a contact becomes a relationship: someone RSVPs (often because a friend shared
the link), comes to the door, signs up for a project presented at the meeting. Each of those is an
Action on the person's timeline (``RSVP_ACTION``, ``ATTENDED_ACTION``...), so the ladder and the
dashboards read them like any other contact; the rows here keep what only events need: seats,
waitlists, shifts, who brought whom.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Action, Person
from grassroots.places.models import Area

# The people.Action kinds events write: the ladder and the follow-up queue count them.
RSVP_ACTION = "event_rsvp"
ATTENDED_ACTION = "event_attended"
PROJECT_ACTION = "project_signup"
MEMBERSHIP_ACTION = "membership_signup"
FORM_ACTION = "form_submitted"
PETITION_ACTION = "petition_signed"
REMINDER_ACTION = "event_reminder"
FOLLOW_UP_ACTION = "event_follow_up"


class Sponsor(models.Model):
    """An organization that co-sponsors events: a union local, a tenants' association, a club.

    Not struggles.Organization: those are targets (landlords, employers, agencies), with sites
    and struggles against them; a co-sponsor is an ally. Putting allies in the targets' table would
    list the union beside the landlord it fights and give allies kinds, sites and archiving that
    mean nothing for them. A coalitions app can take these over when endorsements arrive.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    class Kind(models.TextChoices):
        ORGANIZING_MEETING = "organizing_meeting", _("Organizing meeting")
        ACTION = "action", _("Action or protest")
        CANVASS_LAUNCH = "canvass_launch", _("Canvass launch")
        READING_GROUP = "reading_group", _("Reading group")
        SOCIAL = "social", _("Social")
        TRAINING = "training", _("Training")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The public page's address (/e/<slug>/): readable, and unguessable enough for unlisted events.
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANIZING_MEETING)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    online = models.BooleanField(_("online"), default=False)
    link = models.URLField(_("link to join"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Where it happens (or whom it is for): what the access gate scopes running the event by.
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("area")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    # Listed in the public feed of upcoming events; an unlisted event is reached by its link alone.
    listed = models.BooleanField(_("listed publicly"), default=True)
    consent_wording = models.TextField(_("consent wording"), blank=True)
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="events_hosted")
    host_people = models.ManyToManyField(Person, blank=True, related_name="events_hosted")
    sponsors = models.ManyToManyField(Sponsor, blank=True, related_name="events")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When it last changed (the API's modified_date, which clients filter on to sync).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_map(self) -> bool:
        return not self.online and self.lat is not None and self.lon is not None


class Shift(models.Model):
    """A time slot of an event (a canvass launch's morning and afternoon), with its own seats."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "id"]

    def __str__(self) -> str:
        return (
            self.title
            or f"{timezone.localtime(self.starts_at):%H:%M}–{timezone.localtime(self.ends_at):%H:%M}"
        )


def new_referral_code() -> str:
    return secrets.token_urlsafe(6)


class ReferralCode(models.Model):
    """A person's own code in share links (``?ref=``): whoever signs up through it was brought by them.

    One per person, for every event and form, so a link shared once keeps crediting them.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="referral_code")
    code = models.CharField(max_length=16, unique=True, default=new_referral_code)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code


class RSVP(models.Model):
    """One person's answer to one event: going, on the waitlist, or cancelled.

    One row per person and event, however many times they send the form: a second RSVP from the
    same email finds the same person and so the same row. ``name``, ``email`` and ``phone`` keep what
    was typed, beside the person it was matched to.
    """

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="rsvps")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.GOING)
    referred_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="referred_rsvps"
    )
    source = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "RSVP"
        ordering = ["event", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="rsvp_once_per_event")]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.event_id} ({self.status})"


class Attendance(models.Model):
    """Who came; ``action`` is the event_attended Action on the person's timeline."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events_attended")
    rsvp = models.ForeignKey(RSVP, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    walk_in = models.BooleanField(default=False)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "checked_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="event_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.event_id}"


class Project(models.Model):
    """Something a group presents at an organizing meeting and asks people to join."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sponsor = models.ForeignKey(
        Sponsor, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )

    class Meta:
        ordering = ["event", "name"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One slot of an organizing meeting: who presents what, for how long."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("item"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=5)
    presenter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    presenter_name = models.CharField(_("presenter"), max_length=200, blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        ordering = ["event", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectSignup(models.Model):
    """A line on a project's sign-up sheet: this person wants to join this project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="project_signups")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "created_at"]
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="project_signup_once")]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.project_id}"


class SignupForm(models.Model):
    """A public sign-up form or petition, with questions of its own, embeddable on other sites."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("Sign-up form")
        PETITION = "petition", _("Petition")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SIGNUP)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    # A petition's addressee and its text, shown above the signatures count.
    addressee = models.CharField(_("addressed to"), max_length=200, blank=True)
    goal = models.PositiveIntegerField(_("signature goal"), null=True, blank=True)
    consent_wording = models.TextField(_("consent wording"), blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="signup_forms"
    )
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def action_kind(self) -> str:
        return PETITION_ACTION if self.kind == self.Kind.PETITION else FORM_ACTION


class FormQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        YES_NO = "yes_no", _("Yes or no")
        CHOICE = "choice", _("One of several")
        NUMBER = "number", _("Number")

    form = models.ForeignKey(SignupForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["form", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="form_question_key_unique")]

    def __str__(self) -> str:
        return self.label


class Submission(models.Model):
    """One person's answers to one form (a signature, for a petition); one per person and form."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(SignupForm, on_delete=models.CASCADE, related_name="submissions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="form_submissions")
    answers = models.JSONField(default=dict, blank=True)
    referred_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="referred_submissions"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["form", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "person"], name="submission_once_per_form")]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.form_id}"
