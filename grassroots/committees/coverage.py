"""Where the movement stands, area by area: supporters, the committees that cover each home, gaps.

**A supporter** is a person with at least one Action that says yes: a sign-up, an RSVP, an
event or meeting attended, a petition signed, a committee joined — or a door knock or call whose
answers say support of 4 or 5 (out of 5) or that they want to get involved. It is computed from
Actions alone (``supporters``), the one log of every contact, so the map, the founding list and
"You are not alone" always agree.

**A person's committees** are the active committees whose area is their home or holds it
(building, street, election district, neighborhood, ...), nearest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from grassroots.accounts import access
from grassroots.committees.models import Committee, Membership, active_committees, current_on
from grassroots.events.models import ATTENDED_ACTION, FORM_ACTION, PETITION_ACTION, RSVP_ACTION
from grassroots.people.models import Action, Person
from grassroots.places.models import Area
from grassroots.places.rollup import count_by_area

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

# Actions that by themselves say a person is with us. The events app's kinds are taken from the
# names it writes them under, so that an RSVP or a signature counts the day it is recorded; the
# short kinds ("rsvp", "petition", ...) stay for Actions already recorded under them (imports).
SUPPORT_KINDS = (
    "signup",
    "rsvp",
    "attended",
    "meeting_attended",
    "petition",
    "committee_joined",
    "donation",
    "volunteered",
    RSVP_ACTION,
    ATTENDED_ACTION,
    PETITION_ACTION,
    FORM_ACTION,
)
# A canvass answer on the 1-5 support scale at or above this is support.
SUPPORT_SCALE_MIN = 4
# Actions that are not the person taking part (bookkeeping), left out of engagement.
BOOKKEEPING_KINDS = ("created", "merged")


def support_actions() -> QuerySet[Action]:
    """The Actions that make their person a supporter."""
    return Action.objects.filter(
        Q(kind__in=SUPPORT_KINDS)
        | Q(details__answers__support__gte=SUPPORT_SCALE_MIN)
        | Q(details__answers__involved=True)
    )


def supporters(people: QuerySet[Person]) -> QuerySet[Person]:
    """Those of ``people`` who are supporters (see the module's docstring)."""
    return people.filter(pk__in=support_actions().values("person_id"))


# --- a person's committees ---------------------------------------------------------------------


def committees_covering(area: Area) -> list[Committee]:
    """The active committees whose area is ``area`` or holds it, the nearest (deepest) first."""
    paths = [*area.ancestor_paths(), area.path]
    return list(
        active_committees()
        .filter(area__path__in=paths)
        .select_related("area")
        .order_by("-area__depth", "name")
    )


def committees_for_person(person: Person) -> list[Committee]:
    """Where is this person's committee? Those covering their home, from building upward."""
    return committees_covering(person.area)


def current_memberships(person: Person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(current_on(), person=person, committee__in=active_committees())
        .select_related("committee__area")
        .order_by("-committee__area__depth", "committee__name")
    )


def uncovered_people(user: AnyUser, area: Area) -> QuerySet[Person]:
    """People in ``area`` the user may see whose home no active committee covers yet.

    A committee covers a home when its area is the home's area or holds it, so a committee of the
    area itself (or above it) covers everyone; those inside it cover their part.
    """
    people = access.people_visible_to(user).filter(area__path__startswith=area.path)
    if committees_covering(area):
        return people.none()
    inside = active_committees().filter(area__path__startswith=area.path)
    covered = Q(pk__in=[])
    for path in inside.values_list("area__path", flat=True):
        covered |= Q(area__path__startswith=path)
    return people.exclude(covered)


# --- coverage by area --------------------------------------------------------------------------


@dataclass
class Coverage:
    area: Area
    people: int
    supporters: int
    committees: list[Committee]  # active committees on the area or inside it
    covered_by: list[Committee]  # active committees on an area holding it

    @property
    def share(self) -> float:
        return self.supporters / self.people if self.people else 0.0


def coverage(user: AnyUser, areas: list[Area]) -> list[Coverage]:
    """For each area: the people in it the user may see, how many are supporters, its committees."""
    people = access.people_visible_to(user)
    totals = count_by_area(people, areas)
    backing = count_by_area(supporters(people), areas)
    active = list(active_committees().filter(area__isnull=False).select_related("area"))
    rows = []
    for area in areas:
        above = set(area.ancestor_paths())
        rows.append(
            Coverage(
                area=area,
                people=totals.get(area.pk, 0),
                supporters=backing.get(area.pk, 0),
                committees=[c for c in active if c.area is not None and c.area.path.startswith(area.path)],
                covered_by=[c for c in active if c.area is not None and c.area.path in above],
            )
        )
    return rows


# --- founding a committee ----------------------------------------------------------------------

ENGAGEMENT_DAYS = 365


def founding_list(user: AnyUser, area: Area, *, limit: int = 60) -> list[Person]:
    """Supporters living in ``area``, the most engaged first.

    Engagement is how many times they took part in the last year (every Action but bookkeeping),
    then how recently; each person carries ``engagement`` and ``last_seen`` for the page.
    """
    since = timezone.now() - timedelta(days=ENGAGEMENT_DAYS)
    taking_part = ~Q(actions__kind__in=BOOKKEEPING_KINDS)
    people = supporters(access.people_visible_to(user).filter(area__path__startswith=area.path))
    ranked = people.annotate(
        engagement=Count("actions", filter=taking_part & Q(actions__occurred_at__gte=since)),
        last_seen=Max("actions__occurred_at", filter=taking_part),
    ).order_by("-engagement", "-last_seen", "last_name", "first_name", "pk")
    return list(ranked.select_related("household")[:limit])


# --- "You are not alone" -----------------------------------------------------------------------


@dataclass
class Neighbors:
    area: Area
    supporters: int  # people in the area who are in the movement, the person left out


def neighbors_in_the_movement(person: Person) -> list[Neighbors]:
    """How many people in the person's building, street and neighborhood are supporters.

    Counts only: these are read by the person themself, who may see no one else's name.
    """
    chain = [*person.area.ancestors(), person.area]
    wanted = [a for a in chain if a.kind in ("building", "street", "neighborhood")]
    everyone = Person.objects.filter(merged_into__isnull=True).exclude(pk=person.pk)
    return [
        Neighbors(area, supporters(everyone.filter(area__path__startswith=area.path)).count())
        for area in sorted(wanted, key=lambda a: -a.depth)
    ]
