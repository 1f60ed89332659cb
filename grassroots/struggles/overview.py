"""What the struggle and target pages show: read-only summaries, with names only through the gate.

``target_overview`` gathers everything known about one landlord or employer across its buildings
and workplaces and those of the companies acting for it; ``struggle_timeline`` merges a struggle's
escalations with the opening and closing of its grievances. People and grievances the user may not
see are counted, never named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from grassroots.accounts import access
from grassroots.committees.models import Committee, active_committees
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.struggles.access import family_ids, grievances_visible_to
from grassroots.struggles.models import Escalation, Grievance, Organization, Participation, Site, Struggle

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def count_by_prefix(queryset: QuerySet[Any], field_name: str, paths: Iterable[str]) -> dict[str, int]:
    """Rows of ``queryset`` whose ``field_name`` (an area path) lies inside each of ``paths``.

    Paths of one depth have one length, so each depth is one grouped query on the path's prefix."""
    by_length: dict[int, set[str]] = defaultdict(set)
    for path in paths:
        by_length[len(path)].add(path)
    counts: dict[str, int] = {}
    for length, group in by_length.items():
        rows = (
            queryset.annotate(prefix=Substr(field_name, 1, length))
            .filter(prefix__in=group)
            .values("prefix")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts.update({row["prefix"]: row["n"] for row in rows})
    return counts


def committees_inside(paths: Iterable[str]) -> dict[str, list[Committee]]:
    """The active committees whose area is each of ``paths`` or inside it."""
    by_length: dict[int, set[str]] = defaultdict(set)
    for path in paths:
        by_length[len(path)].add(path)
    found: dict[str, list[Committee]] = defaultdict(list)
    for length, group in by_length.items():
        rows = (
            active_committees()
            .annotate(prefix=Substr("area__path", 1, length))
            .filter(prefix__in=group)
            .order_by("name")
        )
        for committee in rows:
            found[committee.prefix].append(committee)
    return found


def committees_around(areas: Iterable[Area]) -> QuerySet[Committee]:
    """The active committees that work in these areas: on them, inside them, or around them (the
    street's or the neighborhood's committee a building belongs to)."""
    areas = list(areas)
    around = {path for area in areas for path in area.ancestor_paths()}
    query = Q(area__path__in=around)
    for area in areas:
        query |= Q(area__path__startswith=area.path)
    return active_committees().filter(query).select_related("area").order_by("area__depth", "name")


def with_counts(struggles: QuerySet[Struggle]) -> QuerySet[Struggle]:
    """Struggles for a list, newest first, each with ``open_grievances`` and ``escalation_count``
    (counts of every grievance and escalation: numbers, never names)."""
    return (
        struggles.select_related("target")
        .annotate(
            open_grievances=Count(
                "grievances", filter=Q(grievances__status__in=Grievance.OPEN_STATUSES), distinct=True
            ),
            escalation_count=Count("escalations", distinct=True),
        )
        .order_by("-started_on", "title")
    )


@dataclass
class PlaceRow:
    """One building or workplace of a target's family, with who holds it and what goes on there."""

    area: Area
    holders: list[tuple[Organization, str]]  # (organization, relation label)
    households: int = 0
    open_grievances: int = 0
    committees: list[Committee] = field(default_factory=list)
    in_scope: bool = False


@dataclass
class TargetOverview:
    organization: Organization
    ancestors: list[Organization]
    family: list[Organization]  # the companies acting for it, at any depth (not itself)
    places: list[PlaceRow]
    struggles: Sequence[Struggle]  # each with open_grievances and escalation_count
    open_grievances: list[Grievance]  # the ones the user may see
    hidden_open_grievances: int  # open grievances of people the user may not see
    ended_sites: list[Site]

    @property
    def committees(self) -> list[Committee]:
        seen: dict[int, Committee] = {}
        for row in self.places:
            for committee in row.committees:
                seen.setdefault(committee.pk, committee)
        return sorted(seen.values(), key=lambda c: c.name)


def _ancestors(organization: Organization) -> list[Organization]:
    chain: list[Organization] = []
    current = organization.parent
    while current is not None and current.pk != organization.pk and current not in chain:
        chain.insert(0, current)
        current = current.parent
    return chain


def target_overview(user: AnyUser, organization: Organization) -> TargetOverview:
    family = family_ids(organization)
    sites = list(
        Site.objects.filter(organization__in=family)
        .select_related("area", "organization")
        .order_by("area__path")
    )
    rows: dict[int, PlaceRow] = {}
    for site in sites:
        if site.ended_on is not None:
            continue
        row = rows.setdefault(site.area_id, PlaceRow(area=site.area, holders=[]))
        row.holders.append((site.organization, site.get_relation_display()))
    paths = [row.area.path for row in rows.values()]
    households = count_by_prefix(Household.objects.all(), "area__path", paths)
    open_cases = Grievance.objects.filter(
        struggle__target__in=family, struggle__archived_at__isnull=True, status__in=Grievance.OPEN_STATUSES
    )
    grievances_here = count_by_prefix(open_cases, "area__path", paths)
    committees = committees_inside(paths)
    for row in rows.values():
        row.households = households.get(row.area.path, 0)
        row.open_grievances = grievances_here.get(row.area.path, 0)
        row.committees = committees.get(row.area.path, [])
        row.in_scope = access.area_in_scope(user, row.area)
    struggles = list(with_counts(Struggle.objects.filter(target__in=family, archived_at__isnull=True)))
    visible_open = list(
        grievances_visible_to(user)
        .filter(pk__in=open_cases.values("pk"))
        .select_related("person", "household", "area", "struggle")
        .order_by("area__path", "-opened_on")
    )
    return TargetOverview(
        organization=organization,
        ancestors=_ancestors(organization),
        family=list(
            Organization.objects.filter(pk__in=family).exclude(pk=organization.pk).select_related("parent")
        ),
        places=sorted(rows.values(), key=lambda r: (r.area.sort_key, r.area.name)),
        struggles=struggles,
        open_grievances=visible_open,
        hidden_open_grievances=open_cases.count() - len(visible_open),
        ended_sites=[s for s in sites if s.ended_on is not None],
    )


# --- a struggle's timeline ----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    on: date
    kind: str  # "escalation", "grievance_opened" or "grievance_closed"
    escalation: Escalation | None = None
    grievance: Grievance | None = None
    people: list[Person] = field(default_factory=list)  # participants the user may see
    hidden_people: int = 0  # participants the user may not see


@dataclass
class StruggleTimeline:
    entries: list[TimelineEntry]
    grievances: list[Grievance]  # the ones the user may see
    hidden_grievances: int
    hidden_open_grievances: int


def struggle_timeline(user: AnyUser, struggle: Struggle) -> StruggleTimeline:
    """Escalations and the user's visible grievances, oldest first; an escalation names only the
    participants the user may see and counts the rest."""
    escalations = list(struggle.escalations.select_related("recorded_by"))
    participations = list(
        Participation.objects.filter(escalation__struggle=struggle).select_related("person").order_by("id")
    )
    visible_ids = set(
        access.people_visible_to(user)
        .filter(pk__in={p.person_id for p in participations})
        .values_list("pk", flat=True)
    )
    by_escalation: dict[int, list[Participation]] = defaultdict(list)
    for participation in participations:
        by_escalation[participation.escalation_id].append(participation)
    entries = []
    for escalation in escalations:
        taking_part = by_escalation.get(escalation.pk, [])
        shown = [p.person for p in taking_part if p.person_id in visible_ids]
        entries.append(
            TimelineEntry(
                on=escalation.occurred_on,
                kind="escalation",
                escalation=escalation,
                people=sorted(shown, key=lambda p: (p.last_name, p.first_name)),
                hidden_people=len(taking_part) - len(shown),
            )
        )
    every = struggle.grievances.all()
    grievances = list(
        grievances_visible_to(user)
        .filter(struggle=struggle)
        .select_related("person", "household", "area")
        .order_by("-opened_on", "-id")
    )
    for grievance in grievances:
        entries.append(TimelineEntry(on=grievance.opened_on, kind="grievance_opened", grievance=grievance))
        if grievance.closed_on is not None:
            entries.append(
                TimelineEntry(on=grievance.closed_on, kind="grievance_closed", grievance=grievance)
            )
    order = {"grievance_opened": 0, "escalation": 1, "grievance_closed": 2}
    entries.sort(key=lambda e: (e.on, order[e.kind]))
    shown_open = sum(1 for g in grievances if g.is_open)
    return StruggleTimeline(
        entries=entries,
        grievances=grievances,
        hidden_grievances=every.count() - len(grievances),
        hidden_open_grievances=every.filter(status__in=Grievance.OPEN_STATUSES).count() - shown_open,
    )
