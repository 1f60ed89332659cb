"""Struggles: the local fights committees take up against a landlord, an employer or an agency.

An ``Organization`` is the target. A ``Struggle`` against it has demands, a timeline of
escalations and the individual ``Grievance`` cases of the people it is fought for. Nothing
here is ever deleted once it has history: it is archived (``archived_at``) and drops out of
the lists, so the record of what tenants and workers did stays whole.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.models import Committee
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, Household

# The people.Action kind of taking part in an escalation: the ladder counts it like any contact.
STRUGGLE_ACTION = "struggle_action"
# Areas of this kind are workplaces: a shop, a warehouse, a hospital, filed in the area tree.
WORKPLACE_KIND = "workplace"


class Organization(models.Model):
    """An organization: a target (a landlord, a management company, an employer or an agency) or a
    partner (a union, a tenants' association, a community group...) that coalitions gather.

    Targets and partners share this one table because the relationships between organizations
    cross that line — a union opposes an employer, a nonprofit funds a tenants' association, a
    partner can turn into a target — and coalitions.Relationship names both ends with one key.
    The struggles pages list the target kinds (``TARGET_KINDS``); the coalitions pages the rest.

    ``parent`` is the organization another acts for — a management company for its landlord, a
    subsidiary for its owner — so the landlord's page gathers what is known under all of them.
    """

    class Kind(models.TextChoices):
        LANDLORD = "landlord", _("Landlord")
        MANAGEMENT = "management", _("Management company")
        EMPLOYER = "employer", _("Employer")
        AGENCY = "agency", _("Agency")
        UNION = "union", _("Union")
        TENANTS = "tenants", _("Tenants' association")
        COMMUNITY = "community", _("Community group")
        NONPROFIT = "nonprofit", _("Nonprofit")
        FAITH = "faith", _("Faith group")
        POLITICAL = "political", _("Political party or club")
        CAMPAIGN = "campaign", _("Campaign")

    # The kinds struggles are fought against; the others are partners and allies.
    TARGET_KINDS = (Kind.LANDLORD, Kind.MANAGEMENT, Kind.EMPLOYER, Kind.AGENCY)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("acts for"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place an organization owns, manages or employs people at.

    Every site is an Area — a building, or an area of kind ``workplace`` — rather than a line of
    free text. A workplace filed in the area tree gets what a building has for free: the access gate
    scopes it, a committee can organize it, the people working there can be filed under it, and
    "the committees in or under this place" is the same path query for both. A free-text workplace
    would be a second kind of place that none of that reaches. A site that is sold or closed is
    ended (``ended_on``), not removed, so the organization's history stays readable.
    """

    class Relation(models.TextChoices):
        OWNS = "owns", _("owns")
        MANAGES = "manages", _("manages")
        EMPLOYS = "employs", _("employs people at")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sites")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organization_sites")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    added_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["area__sort_key", "area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "area", "relation"],
                condition=models.Q(ended_on__isnull=True),
                name="site_current_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.relation} {self.area}"


class Struggle(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    target = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="struggles", verbose_name=_("target")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    # The buildings and workplaces where it is fought: what the access gate scopes it by.
    areas = models.ManyToManyField(Area, related_name="struggles", verbose_name=_("buildings and workplaces"))
    committees = models.ManyToManyField(
        Committee, blank=True, related_name="struggles", verbose_name=_("committees")
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "title"]

    def __str__(self) -> str:
        return self.title


class Demand(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    struggle = models.ForeignKey(Struggle, on_delete=models.CASCADE, related_name="demands")
    text = models.CharField(_("demand"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    position = models.PositiveIntegerField(default=0)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Escalation(models.Model):
    """One step of the struggle: a letter sent, a petition delivered, a delegation, a strike vote..."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        PETITION = "petition", _("Petition")
        DELEGATION = "delegation", _("Delegation")
        STRIKE_VOTE = "strike_vote", _("Rent strike vote")
        PROTEST = "protest", _("Protest")
        PRESS = "press", _("Press")
        LEGAL = "legal", _("Legal filing")
        WIN = "win", _("Win")
        LOSS = "loss", _("Loss")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    struggle = models.ForeignKey(Struggle, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("description"), blank=True)
    participants: models.ManyToManyField[Person, Participation] = models.ManyToManyField(
        Person, through="Participation", related_name="escalations"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_on}"


class Participation(models.Model):
    """A person took part in an escalation; ``action`` is the same fact on their timeline."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    action = models.OneToOneField(Action, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["escalation", "person"], name="participation_once")]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.escalation_id}"


class Grievance(models.Model):
    """One case inside a struggle: a household's repair, a rent overcharge, a firing.

    It names a person, a household, or both; who may read it follows them through the access gate
    (struggles.access). ``area`` is where the case is — the household's or the person's area when it
    was opened — so a landlord's page can count cases per building without naming anyone.
    """

    class Category(models.TextChoices):
        REPAIR = "repair", _("Repairs")
        OVERCHARGE = "overcharge", _("Rent overcharge")
        RENT_INCREASE = "rent_increase", _("Rent increase")
        HARASSMENT = "harassment", _("Harassment")
        EVICTION = "eviction", _("Eviction")
        FIRING = "firing", _("Firing")
        WAGES = "wages", _("Wages")
        SAFETY = "safety", _("Safety")
        DISCRIMINATION = "discrimination", _("Discrimination")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DROPPED = "dropped", _("Dropped")

    # Statuses of a case still being fought.
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    struggle = models.ForeignKey(Struggle, on_delete=models.PROTECT, related_name="grievances")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="grievances")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    summary = models.CharField(_("summary"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(household__isnull=False),
                name="grievance_names_someone",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class GrievanceStatusChange(models.Model):
    """The history of a grievance's status, one row per change (the first row is its opening)."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Grievance.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Grievance.Status.choices)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class EvidenceNote(models.Model):
    """What backs a case up: a photo described, a lease clause, a date the heat went out."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField(_("evidence"))
    noted_on = models.DateField(_("date"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["noted_on", "id"]

    def __str__(self) -> str:
        return f"{self.noted_on}: {self.text[:40]}"
