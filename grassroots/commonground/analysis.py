"""Opinion groups of a common-ground round: who thinks alike, what each group holds, what all share.

The input is the participant by statement vote matrix (agree = 1, disagree = -1, pass = 0) with a
mask of the votes actually cast, so a pass (seen, no opinion) and an unseen statement (no vote) are
told apart when shares are counted.

1. **Who is placed.** Only participants with at least ``min_votes`` votes are grouped: a person who
   voted on two statements has no position to speak of yet. They are counted, not placed.
2. **Opinion space.** An unseen statement is filled with that statement's mean vote among those who
   voted on it, which after centring is 0 — it neither pulls the person towards agreeing nor
   disagreeing. The filled matrix is reduced by PCA; each person's coordinates are then stretched
   by sqrt(statements / statements they voted on), so someone who voted on a third of the statements
   is not drawn to the centre merely for having filled cells.
3. **Groups.** k-means for every k from 2 to ``max_groups`` (fewer when there are few people); the
   k with the best mean silhouette wins. Groups are numbered by size, largest first, so the same
   votes always give the same numbering.
4. **What groups say.** For group g and statement s, ``agree share`` is agrees / votes cast by g's
   members on s (passes count as votes: a pass is not support). A statement is **consensus** when
   every group cast at least ``min_group_votes`` votes on it (or all its members did, for a group
   smaller than that) and every group's agree share is at least ``consensus_share`` (0.6). It
   **divides** the groups when one group's agree share and another group's disagree share are both
   at least ``consensus_share``. A group's **representative** statements are those it agrees on
   (agree share at least ``consensus_share``) clearly more than everyone else does (by at least
   ``distinct_by``), best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

AGREE, DISAGREE, PASS = 1, -1, 0

MIN_VOTES = 5  # votes a participant needs to be placed on the map
MAX_GROUPS = 5
CONSENSUS_SHARE = 0.6
MIN_GROUP_VOTES = 3
DISTINCT_BY = 0.2
REPRESENTATIVE_PER_GROUP = 5
CLUSTER_DIMENSIONS = 3  # principal components k-means works in; the map shows the first two


@dataclass(frozen=True)
class StatementStats:
    """How each group voted on one statement (lists are indexed by group)."""

    index: int
    votes: list[int]
    agrees: list[int]
    disagrees: list[int]

    def agree_share(self, group: int) -> float:
        return self.agrees[group] / self.votes[group] if self.votes[group] else 0.0

    def disagree_share(self, group: int) -> float:
        return self.disagrees[group] / self.votes[group] if self.votes[group] else 0.0


@dataclass
class OpinionGroups:
    """The outcome: ``labels[i]`` is the group of ``placed[i]`` (a row of the input matrix)."""

    placed: list[int]
    labels: list[int]
    coordinates: NDArray[np.float64]
    group_sizes: list[int]
    silhouette: float | None
    statements: list[StatementStats]
    consensus: list[int]
    divisive: list[int]
    representative: list[list[int]] = field(default_factory=list)
    unplaced: int = 0

    @property
    def group_count(self) -> int:
        return len(self.group_sizes)


def _opinion_space(
    votes: NDArray[np.float64], cast: NDArray[np.bool_], dimensions: int
) -> NDArray[np.float64]:
    counts = cast.sum(axis=0)
    means = np.divide(votes.sum(axis=0), counts, out=np.zeros(votes.shape[1]), where=counts > 0)
    filled = np.where(cast, votes, means)
    components = max(1, min(dimensions, filled.shape[0] - 1, filled.shape[1]))
    projected = PCA(n_components=components, svd_solver="full").fit_transform(filled)
    stretch = np.sqrt(votes.shape[1] / np.maximum(cast.sum(axis=1), 1))
    return np.asarray(projected * stretch[:, None], dtype=np.float64)


def _best_partition(
    points: NDArray[np.float64], max_groups: int, seed: int
) -> tuple[NDArray[np.int_], float]:
    best: tuple[NDArray[np.int_], float] | None = None
    distinct = len(np.unique(points.round(9), axis=0))
    for k in range(2, min(max_groups, len(points) - 1, distinct) + 1):
        # One thread: on matrices this small, starting BLAS threads costs more than the work.
        with threadpool_limits(limits=1):
            labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(points)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(points, labels))
        if best is None or score > best[1] + 1e-9:
            best = (labels, score)
    if best is None:
        return np.zeros(len(points), dtype=int), 0.0
    return best


def _number_by_size(labels: NDArray[np.int_]) -> list[int]:
    """Relabel groups 0, 1, ... from the largest; ties by the first row holding the group."""
    found = labels.tolist()
    order = sorted(set(found), key=lambda g: (-found.count(g), found.index(g)))
    rename = {old: new for new, old in enumerate(order)}
    return [rename[g] for g in found]


def find_opinion_groups(
    votes: NDArray[np.float64] | list[list[float]],
    cast: NDArray[np.bool_] | list[list[bool]] | None = None,
    *,
    min_votes: int = MIN_VOTES,
    max_groups: int = MAX_GROUPS,
    consensus_share: float = CONSENSUS_SHARE,
    min_group_votes: int = MIN_GROUP_VOTES,
    distinct_by: float = DISTINCT_BY,
    seed: int = 0,
) -> OpinionGroups:
    """Group the rows of ``votes`` (participants by statements) and read what the groups say.

    ``cast`` marks the votes cast; without it every non-zero cell is a vote and zeros are unseen.
    """
    matrix = np.asarray(votes, dtype=np.float64)
    if matrix.ndim != 2:
        matrix = matrix.reshape(0, 0)
    mask = matrix != 0 if cast is None else np.asarray(cast, dtype=bool)
    n_statements = matrix.shape[1]
    needed = min(min_votes, n_statements) if n_statements else 1
    placed = [i for i in range(matrix.shape[0]) if mask[i].sum() >= needed and needed > 0]
    unplaced = matrix.shape[0] - len(placed)
    if len(placed) < 2 or n_statements < 2:
        # Too few to compare: everyone placed forms one group, nothing is drawn.
        labels = [0] * len(placed)
        coordinates = np.zeros((len(placed), 2))
        silhouette = None
    else:
        rows = matrix[placed]
        space = _opinion_space(rows, mask[placed], CLUSTER_DIMENSIONS)
        if len(placed) >= 4:
            raw, silhouette_value = _best_partition(space, max_groups, seed)
            labels, silhouette = _number_by_size(raw), silhouette_value
        else:
            labels, silhouette = [0] * len(placed), None
        coordinates = np.zeros((len(placed), 2))
        coordinates[:, : min(2, space.shape[1])] = space[:, :2]
    group_count = max(labels) + 1 if labels else 0
    stats = _statement_stats(matrix, mask, placed, labels, group_count)
    result = OpinionGroups(
        placed=placed,
        labels=labels,
        coordinates=coordinates,
        group_sizes=[labels.count(g) for g in range(group_count)],
        silhouette=silhouette,
        statements=stats,
        consensus=[],
        divisive=[],
        unplaced=unplaced,
    )
    _read_statements(result, consensus_share, min_group_votes, distinct_by)
    return result


def _statement_stats(
    matrix: NDArray[np.float64], mask: NDArray[np.bool_], placed: list[int], labels: list[int], groups: int
) -> list[StatementStats]:
    stats = []
    rows = np.array(placed, dtype=int)
    label_array = np.array(labels, dtype=int)
    for s in range(matrix.shape[1]):
        votes, agrees, disagrees = [], [], []
        for g in range(groups):
            members = rows[label_array == g]
            seen = mask[members, s]
            column = matrix[members, s][seen]
            votes.append(int(seen.sum()))
            agrees.append(int((column == AGREE).sum()))
            disagrees.append(int((column == DISAGREE).sum()))
        stats.append(StatementStats(index=s, votes=votes, agrees=agrees, disagrees=disagrees))
    return stats


def _read_statements(
    result: OpinionGroups, consensus_share: float, min_group_votes: int, distinct_by: float
) -> None:
    groups = range(result.group_count)
    divides: list[tuple[float, int]] = []
    representative: list[list[tuple[float, int]]] = [[] for _ in groups]
    for st in result.statements:
        enough = all(st.votes[g] >= min(min_group_votes, result.group_sizes[g]) for g in groups)
        if enough and groups and all(st.agree_share(g) >= consensus_share for g in groups):
            result.consensus.append(st.index)
        agreeing = [g for g in groups if st.votes[g] and st.agree_share(g) >= consensus_share]
        disagreeing = [g for g in groups if st.votes[g] and st.disagree_share(g) >= consensus_share]
        if agreeing and disagreeing:
            spread = max(st.agree_share(g) for g in agreeing) + max(st.disagree_share(g) for g in disagreeing)
            divides.append((spread, st.index))
        for g in agreeing:
            if st.votes[g] < min(min_group_votes, result.group_sizes[g]):
                continue
            others_votes = sum(st.votes) - st.votes[g]
            others_share = (sum(st.agrees) - st.agrees[g]) / others_votes if others_votes else 0.0
            lead = st.agree_share(g) - others_share
            if result.group_count == 1 or lead >= distinct_by:
                representative[g].append((lead, st.index))
    result.divisive = [index for _, index in sorted(divides, key=lambda d: (-d[0], d[1]))]
    result.representative = [
        [index for _, index in sorted(found, key=lambda r: (-r[0], r[1]))][:REPRESENTATIVE_PER_GROUP]
        for found in representative
    ]
