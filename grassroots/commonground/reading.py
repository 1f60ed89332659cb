"""A round's votes read as opinion groups: what the common-ground page and its summary show.

``read_round`` loads the round's votes in one query, runs commonground.analysis on them and
returns statements (not indices), each group's share of agreement, and the points of the map.
Points carry a group and coordinates only — no person, no id — so the map names no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grassroots.commonground.analysis import CONSENSUS_SHARE, MIN_VOTES, OpinionGroups, find_opinion_groups
from grassroots.commonground.models import Round, Statement, StatementVote

# Colors of the groups on the map and beside their statements (readable on white, told apart
# by people with the common kinds of color blindness).
GROUP_COLORS = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93")
GROUP_NAMES = ("A", "B", "C", "D", "E")
MAP_SIZE = 100  # the map's viewBox is MAP_SIZE by MAP_SIZE, with a margin for the dots


@dataclass
class Shares:
    """How each group voted on one statement, as whole percentages, in group order."""

    statement: Statement
    agree: list[int]
    disagree: list[int]
    votes: list[int]
    total_votes: int = 0

    @property
    def by_group(self) -> list[tuple[str, str, int, int, int]]:
        return [
            (GROUP_NAMES[g], GROUP_COLORS[g], self.agree[g], self.disagree[g], self.votes[g])
            for g in range(len(self.agree))
        ]


@dataclass
class Group:
    name: str
    color: str
    size: int
    representative: list[Shares]


@dataclass
class Point:
    x: float
    y: float
    color: str
    group: str


@dataclass
class Reading:
    participants: int  # who voted at all
    placed: int
    unplaced: int
    statements: int
    votes: int
    groups: list[Group] = field(default_factory=list)
    consensus: list[Shares] = field(default_factory=list)
    divisive: list[Shares] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    silhouette: float | None = None
    min_votes: int = MIN_VOTES
    threshold: int = round(CONSENSUS_SHARE * 100)

    def summary(self, round: Round) -> str:
        """Plain text a coordinator can start a proposal from."""
        lines = [
            f"From the common-ground round “{round.title}”: {self.participants} people cast "
            f"{self.votes} votes on {self.statements} statements "
            f"and formed {len(self.groups)} opinion groups.",
            "",
            f"Every group agrees (at least {self.threshold}% of each group):",
        ]
        lines += [f"- {s.statement.text}" for s in self.consensus] or ["- (no statement yet)"]
        if self.divisive:
            lines += ["", "Still dividing the groups:"]
            lines += [f"- {s.statement.text}" for s in self.divisive]
        return "\n".join(lines)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _shares(found: OpinionGroups, index: int, statement: Statement) -> Shares:
    st = found.statements[index]
    groups = range(found.group_count)
    return Shares(
        statement=statement,
        agree=[_percent(st.agrees[g], st.votes[g]) for g in groups],
        disagree=[_percent(st.disagrees[g], st.votes[g]) for g in groups],
        votes=list(st.votes),
        total_votes=sum(st.votes),
    )


def _map_points(found: OpinionGroups) -> list[Point]:
    coords = found.coordinates
    if not len(coords):
        return []
    margin = 6
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high - low > 1e-9, high - low, 1.0)
    scaled = margin + (coords - low) / span * (MAP_SIZE - 2 * margin)
    points = [
        Point(round(float(x), 2), round(float(MAP_SIZE - y), 2), GROUP_COLORS[g], GROUP_NAMES[g])
        for (x, y), g in zip(scaled, found.labels, strict=True)
    ]
    # Listed by group, then position: the order of the rows says nothing about who is who.
    return sorted(points, key=lambda p: (p.group, p.x, p.y))


def read_round(round: Round) -> Reading:
    statements = list(round.statements.filter(hidden_at__isnull=True).order_by("created_at", "id"))
    column = {s.pk: i for i, s in enumerate(statements)}
    votes = StatementVote.objects.filter(statement__in=statements).values_list(
        "person_id", "statement_id", "choice"
    )
    rows: dict[int, int] = {}
    cells = []
    for person_id, statement_id, choice in votes:
        cells.append((rows.setdefault(person_id, len(rows)), column[statement_id], choice))
    matrix = np.zeros((len(rows), len(statements)))
    cast = np.zeros((len(rows), len(statements)), dtype=bool)
    for row, col, choice in cells:
        matrix[row, col], cast[row, col] = choice, True
    found = find_opinion_groups(matrix, cast)
    reading = Reading(
        participants=len(rows),
        placed=len(found.placed),
        unplaced=found.unplaced,
        statements=len(statements),
        votes=len(cells),
        silhouette=found.silhouette,
    )
    if not found.placed:
        return reading
    reading.groups = [
        Group(
            name=GROUP_NAMES[g],
            color=GROUP_COLORS[g],
            size=found.group_sizes[g],
            representative=[_shares(found, i, statements[i]) for i in found.representative[g]],
        )
        for g in range(found.group_count)
    ]
    reading.consensus = [_shares(found, i, statements[i]) for i in found.consensus]
    reading.divisive = [_shares(found, i, statements[i]) for i in found.divisive]
    reading.points = _map_points(found)
    return reading
