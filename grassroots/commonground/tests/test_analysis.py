"""The opinion-group analysis finds planted groups, the statements they all share and where they divide."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from grassroots.commonground.analysis import AGREE, DISAGREE, PASS, find_opinion_groups
from grassroots.commonground.planted import plant_votes, stances


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_it_recovers_three_planted_groups_and_their_consensus(seed: int) -> None:
    planted = plant_votes([30, 25, 20], stances(3, consensus=4, divisive=10, own=4), seed=seed)
    found = find_opinion_groups(planted.votes, planted.cast)
    assert found.group_count == 3
    truth = [planted.groups[i] for i in found.placed]
    assert adjusted_rand_score(truth, found.labels) >= 0.9
    assert found.consensus == planted.consensus
    assert not set(found.consensus) & set(planted.divisive)


def test_it_recovers_four_groups_of_a_sparse_round() -> None:
    planted = plant_votes([25, 20, 20, 15], stances(4, consensus=4, divisive=10, own=4), seed=2, seen=0.7)
    found = find_opinion_groups(planted.votes, planted.cast)
    assert found.group_count == 4
    assert adjusted_rand_score([planted.groups[i] for i in found.placed], found.labels) >= 0.9
    assert set(found.consensus) <= set(planted.consensus)
    assert not set(found.consensus) & set(planted.divisive)


def test_divisive_statements_are_reported_as_dividing_and_never_as_consensus() -> None:
    planted = plant_votes([30, 30], stances(2, consensus=3, divisive=6, own=3), seed=4)
    found = find_opinion_groups(planted.votes, planted.cast)
    assert set(planted.divisive) - set(found.consensus) == set(planted.divisive)
    # Every statement the groups were planted to split on, and no consensus one, divides them.
    assert set(found.divisive) == set(planted.divisive)


def test_each_group_is_represented_by_the_statements_only_it_agrees_with() -> None:
    table = stances(3, consensus=2, divisive=0, own=3)
    planted = plant_votes([20, 20, 20], table, seed=3, seen=1.0, conviction=0.95)
    found = find_opinion_groups(planted.votes, planted.cast)
    for group, statements in enumerate(found.representative):
        pairs = zip(found.placed, found.labels, strict=True)
        members = [planted.groups[i] for i, label in pairs if label == group]
        planted_group = max(set(members), key=members.count)
        assert statements, group
        assert all(table[s][planted_group] == AGREE and table[s].count(AGREE) == 1 for s in statements)


def test_a_participant_with_too_few_votes_is_counted_not_placed() -> None:
    planted = plant_votes([10, 10], stances(2, consensus=2, divisive=6, own=2), seed=5, seen=1.0)
    votes, cast = planted.votes.copy(), planted.cast.copy()
    cast[0, 2:] = False
    votes[0, 2:] = PASS
    found = find_opinion_groups(votes, cast, min_votes=5)
    assert found.unplaced == 1 and 0 not in found.placed
    assert len(found.labels) == len(found.placed) == 19


def test_a_pass_counts_as_a_vote_that_is_not_support() -> None:
    planted = plant_votes([12, 12], stances(2, consensus=1, divisive=6, own=2), seed=6, seen=1.0)
    # Statement 0: in each group two in three agree and the rest pass (2/3 >= 0.6: consensus);
    # statement 1 becomes half agree, half pass in each group (0.5: not consensus).
    for row in range(24):
        planted.votes[row, 0] = PASS if row % 3 == 0 else AGREE
    found = find_opinion_groups(planted.votes, planted.cast)
    assert found.group_count == 2
    assert [found.statements[0].agree_share(g) for g in range(2)] == [pytest.approx(2 / 3)] * 2
    assert found.statements[0].votes == found.group_sizes
    assert 0 in found.consensus
    for row in range(24):
        planted.votes[row, 0] = PASS if row % 2 else AGREE
    assert 0 not in find_opinion_groups(planted.votes, planted.cast).consensus


def test_too_few_people_make_one_group_and_nothing_to_draw() -> None:
    found = find_opinion_groups([[AGREE, DISAGREE], [AGREE, AGREE]], min_votes=1)
    assert found.group_sizes == [2]
    assert found.silhouette is None
    assert found.consensus == [0]
    empty = find_opinion_groups(np.zeros((0, 0)))
    assert empty.group_count == 0 and empty.consensus == []


def test_the_same_votes_give_the_same_groups_numbered_by_size() -> None:
    planted = plant_votes([12, 30, 20], stances(3, consensus=2, divisive=8, own=3), seed=7)
    first = find_opinion_groups(planted.votes, planted.cast)
    second = find_opinion_groups(planted.votes, planted.cast)
    assert first.labels == second.labels
    assert first.group_sizes == sorted(first.group_sizes, reverse=True)
