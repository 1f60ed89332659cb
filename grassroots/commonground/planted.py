"""Vote matrices with planted opinion groups: what the analysis must find, for tests and the demo.

Each group has a stance on each statement — agree, disagree or undecided — and its members vote
by it with some noise: they agree with probability ``conviction`` where the group agrees, disagree
with that probability where it disagrees, and pass or split where it is undecided. Each member sees
each statement with probability ``seen``, so the matrix is as sparse as a real round.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from grassroots.commonground.analysis import AGREE, DISAGREE, PASS

Stance = int  # AGREE, DISAGREE or PASS (undecided)


@dataclass
class PlantedVotes:
    votes: NDArray[np.float64]
    cast: NDArray[np.bool_]
    groups: list[int]  # the planted group of each row
    consensus: list[int]  # statements every group agrees with
    divisive: list[int]  # statements some groups agree with and others reject


def stances(groups: int, consensus: int, divisive: int, own: int) -> list[list[Stance]]:
    """A stance table (statement by group): ``consensus`` statements all agree on, ``divisive`` ones
    where groups take turns agreeing and disagreeing, and ``own`` statements per group that only
    that group agrees with and the others reject or pass on."""
    table: list[list[Stance]] = [[AGREE] * groups for _ in range(consensus)]
    for d in range(divisive):
        # Each divisive statement splits the groups differently (a different bit pattern), so the
        # groups differ on several axes and are told apart in every direction.
        pattern = [(g >> (d % max(1, groups.bit_length()))) & 1 for g in range(groups)]
        if len(set(pattern)) < 2:
            pattern = [int(g == d % groups) for g in range(groups)]
        table.append([AGREE if bit else DISAGREE for bit in pattern])
    table.extend(
        [AGREE if h == g else (DISAGREE if (h + i) % 2 else PASS) for h in range(groups)]
        for g in range(groups)
        for i in range(own)
    )
    return table


def plant_votes(
    sizes: Sequence[int],
    table: Sequence[Sequence[Stance]],
    *,
    conviction: float = 0.85,
    seen: float = 0.75,
    seed: int = 1,
) -> PlantedVotes:
    rng = random.Random(seed)
    people = sum(sizes)
    groups = [g for g, size in enumerate(sizes) for _ in range(size)]
    votes = np.zeros((people, len(table)))
    cast = np.zeros((people, len(table)), dtype=bool)
    for row, g in enumerate(groups):
        for s, by_group in enumerate(table):
            stance = by_group[g]
            if rng.random() >= seen:
                continue
            cast[row, s] = True
            draw = rng.random()
            if stance == PASS:
                votes[row, s] = AGREE if draw < 0.2 else DISAGREE if draw < 0.4 else PASS
            elif draw < conviction:
                votes[row, s] = stance
            else:
                votes[row, s] = -stance if draw < conviction + (1 - conviction) / 2 else PASS
    consensus = [s for s, row in enumerate(table) if all(x == AGREE for x in row)]
    divisive = [s for s, row in enumerate(table) if AGREE in row and DISAGREE in row]
    return PlantedVotes(votes=votes, cast=cast, groups=groups, consensus=consensus, divisive=divisive)
