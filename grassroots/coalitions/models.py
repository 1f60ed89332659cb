"""Coalitions: organizations working together, the people who speak for them, and what they endorse.

Organizations are struggles.Organization — targets and partners in one table (its docstring says
why). Around them:

* a ``Contact`` is a person who belongs to or works for an organization, on dates that are kept;
* a ``Relationship`` says how two organizations stand: ally of, member of, funds, opposes;
* a ``Coalition`` is a body whose members are organizations (``CoalitionMember``, with dates), each
  sending ``Delegate`` people — who must be its contacts — for a span of days. A coalition decides
  through decisions.Proposal: its voters are the delegates of its member organizations on the day
  voting opened (``eligible_delegates``);
* an ``Endorsement`` of a candidate or a campaign goes questionnaire → answers → vote → published;
* a ``Cosponsorship`` ties an organization to a struggle or an event it co-sponsors.

Dates follow the committees' memberships: from the first day, until the day before the end date.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.events.models import Event
from grassroots.people.models import Person
from grassroots.struggles.models import Organization, Struggle


def spans(day: datetime.date | None, start: str, end: str, prefix: str = "") -> Q:
    """Rows whose span ``[start, end)`` holds ``day`` (today by default); an empty end is open."""
    day = day or timezone.localdate()
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})
    )


def _ends_after_start(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": models.F(start)}), name=name
    )


class Contact(models.Model):
    """A person of an organization: a member, its staff, an officer. Only contacts can be delegates."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff")
        OFFICER = "officer", _("Officer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="organization_contacts")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("title"), max_length=100, blank=True)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organization", "until", "person__last_name", "person__first_name", "id"]
        constraints = [_ends_after_start("since", "until", "contact_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.person_id} of {self.organization_id}"


class Relationship(models.Model):
    """How one organization stands to another, read as "``organization`` <kind> ``other``"."""

    class Kind(models.TextChoices):
        ALLY = "ally", _("is an ally of")
        MEMBER_OF = "member_of", _("is a member of")
        AFFILIATE = "affiliate", _("is affiliated with")
        FUNDS = "funds", _("funds")
        OPPOSES = "opposes", _("opposes")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(_("relationship"), max_length=10, choices=Kind.choices)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["organization", "kind", "other__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization=models.F("other")), name="relationship_two_sides"
            ),
            _ends_after_start("since", "until", "relationship_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.other}"


class Coalition(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    founded_on = models.DateField(_("founded on"), default=timezone.localdate)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoalitionMember(models.Model):
    """An organization in a coalition from ``joined_on`` until the day before ``left_on``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="members")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="coalition_memberships"
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["coalition", "left_on", "organization__name", "id"]
        constraints = [_ends_after_start("joined_on", "left_on", "coalition_member_leaves_after_joining")]

    def __str__(self) -> str:
        return f"{self.organization_id} in {self.coalition_id}"


class Delegate(models.Model):
    """A person an organization sends to a coalition, from ``starts_on`` until the day before ``ends_on``.

    The person is one of the organization's contacts and the organization a member of the
    coalition on ``starts_on`` (coalitions.actions refuses anything else).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="delegates")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="delegates")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="delegations")
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["coalition", "ends_on", "organization__name", "-starts_on", "id"]
        indexes = [models.Index(fields=["person", "coalition"])]
        constraints = [_ends_after_start("starts_on", "ends_on", "delegate_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.organization_id} in {self.coalition_id}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)


def delegates_on(day: datetime.date | None = None, prefix: str = "") -> Q:
    """Delegations that hold on ``day``."""
    return spans(day, "starts_on", "ends_on", prefix)


def eligible_delegates(coalition: Coalition, day: datetime.date | None = None) -> QuerySet[Person]:
    """The people who speak for the coalition on ``day``: delegates of organizations that are its
    members that day. Those are who vote on its proposals (decisions.bodies)."""
    day = day or timezone.localdate()
    members = CoalitionMember.objects.filter(spans(day, "joined_on", "left_on"), coalition=coalition)
    delegates = Delegate.objects.filter(
        delegates_on(day), coalition=coalition, organization_id__in=members.values("organization_id")
    )
    return Person.objects.filter(pk__in=delegates.values("person_id"), merged_into__isnull=True)


class Endorsement(models.Model):
    """A coalition's endorsement of a candidate or a campaign, through its workflow:

    draft (questions written) → sent (questionnaire sent) → answered → voting (a proposal of the
    coalition, decided by its delegates) → endorsed or declined → published (a public page).
    """

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        CAMPAIGN = "campaign", _("Campaign or ballot measure")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Questionnaire being written")
        SENT = "sent", _("Questionnaire sent")
        ANSWERED = "answered", _("Answers received")
        VOTING = "voting", _("Being voted on")
        ENDORSED = "endorsed", _("Endorsed")
        DECLINED = "declined", _("Not endorsed")
        PUBLISHED = "published", _("Endorsed and published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="endorsements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CANDIDATE)
    candidate = models.CharField(_("candidate or campaign"), max_length=200)
    office = models.CharField(_("office or measure"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sent_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    # The vote: a proposal of the coalition, decided by its delegates.
    proposal = models.OneToOneField(
        "decisions.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="endorsement"
    )
    decided_on = models.DateField(null=True, blank=True)
    statement = models.TextField(_("public statement"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.candidate} ({self.office})" if self.office else self.candidate


class Question(models.Model):
    """One question of an endorsement's questionnaire, with the answer the candidate gave."""

    endorsement = models.ForeignKey(Endorsement, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["endorsement", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Cosponsorship(models.Model):
    """An organization co-sponsors a struggle or an event (exactly one of the two)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="cosponsorships")
    struggle = models.ForeignKey(
        Struggle, null=True, blank=True, on_delete=models.CASCADE, related_name="cosponsorships"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="cosponsorships"
    )
    added_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-added_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(struggle__isnull=False, event__isnull=True)
                | Q(struggle__isnull=True, event__isnull=False),
                name="cosponsorship_of_one_thing",
            ),
            models.UniqueConstraint(fields=["organization", "struggle"], name="cosponsor_struggle_once"),
            models.UniqueConstraint(fields=["organization", "event"], name="cosponsor_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} co-sponsors {self.struggle_id or self.event_id}"
