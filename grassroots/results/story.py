"""An area's story: how it voted over the imported elections, its voters and contacts, its committee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from grassroots.accounts import access
from grassroots.people.models import Action
from grassroots.places.models import Area
from grassroots.results import analysis
from grassroots.results.analysis import AreaResult, Turnout
from grassroots.results.models import Contest
from grassroots.results.targets import CONTACT_KINDS

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

MAX_CONTESTS = 8


@dataclass
class Chapter:
    contest: Contest
    result: AreaResult
    turnout: Turnout | None


@dataclass
class Story:
    chapters: list[Chapter]  # newest election first
    voters: int  # voter records on the roll inside the area, within the user's scope
    contacted: int  # people inside the area someone has talked with
    people: int
    committees: list[str]  # the active committees of the area, inside it and around it


def area_story(user: AnyUser, area: Area) -> Story:
    chapters = []
    for contest in analysis.contests_in_area(area)[:MAX_CONTESTS]:
        [result] = analysis.rollup(contest, [area])
        [turnout] = analysis.turnout(contest, [area], user=user)
        chapters.append(Chapter(contest, result, turnout))
    people = access.people_visible_to(user).filter(area__path__startswith=area.path)
    contacted = people.filter(pk__in=Action.objects.filter(kind__in=CONTACT_KINDS).values("person_id"))
    voters = access.voters_visible_to(user).filter(area__path__startswith=area.path, on_roll=True)
    from grassroots.committees.models import active_committees

    # The committees that work here: on the area itself, inside it, or around it (a building's
    # committee belongs to its neighborhood's).
    around = [*area.ancestor_paths(), area.path]
    committees = active_committees().filter(Q(area__path__startswith=area.path) | Q(area__path__in=around))
    here = list(committees.order_by("area__depth", "name").values_list("name", flat=True))
    return Story(chapters, voters.count(), contacted.count(), people.count(), committees=here)
