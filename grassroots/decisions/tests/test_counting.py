"""The counting rules, on a real election, worked examples and generated ballots."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.decisions.counting import (
    RankedCount,
    count_yes_no,
    instant_runoff,
    single_transferable_vote,
)
from grassroots.decisions.tests import burlington_2009 as burlington


def _whole(count: RankedCount) -> list[dict[str, int]]:
    return [{key: int(v) for key, v in r.votes.items()} for r in count.rounds]


# --- a published election ------------------------------------------------------------------------


def test_it_reproduces_burlingtons_2009_mayoral_count_round_by_round() -> None:
    """The city's ballots, counted by its rule (every hopeless candidate excluded at once), give the
    certified rounds exactly: see burlington_2009 for the source and the six overvoted ballots."""
    ballots = burlington.ballots()
    assert len(ballots) == 8980
    count = instant_runoff(ballots, burlington.CANDIDATES, batch=True)
    assert _whole(count) == burlington.OFFICIAL_ROUNDS
    assert [int(r.exhausted) for r in count.rounds] == burlington.OFFICIAL_EXHAUSTED
    assert count.rounds[0].excluded == ["Si", "WI", "Sm"]
    assert count.rounds[1].excluded == ["M"]
    assert count.elected == ["K"]


def test_excluding_one_candidate_a_round_elects_the_same_mayor_through_the_same_counts() -> None:
    """grassroots excludes one candidate a round: two more rounds, and whenever the same candidates
    remain, the same counts as the certified ones."""
    count = instant_runoff(burlington.ballots(), burlington.CANDIDATES)
    rounds = _whole(count)
    assert len(rounds) == 5
    assert [r.excluded for r in count.rounds[:4]] == [["Si"], ["WI"], ["Sm"], ["M"]]
    assert rounds[0] == burlington.OFFICIAL_ROUNDS[0]
    assert rounds[3] == burlington.OFFICIAL_ROUNDS[1]
    assert rounds[4] == burlington.OFFICIAL_ROUNDS[2]
    assert count.elected == ["K"]


def test_burlingtons_montroll_beats_every_rival_head_to_head_yet_irv_elects_kiss() -> None:
    """Montroll is the Condorcet winner without a majority of first choices, which is why IRV
    may (and here did) pass him over: the properties below ask for a first-choice majority."""
    ballots = burlington.ballots()

    def prefer(a: str, b: str) -> int:
        return sum(1 for r in ballots if a in r and (b not in r or r.index(a) < r.index(b)))

    for rival in ("K", "W", "Sm", "Si", "WI"):
        assert prefer("M", rival) > prefer(rival, "M"), rival
    assert (prefer("K", "W"), prefer("W", "K")) == (4313, 4061)


# --- single transferable vote ---------------------------------------------------------------------


def test_stv_elects_three_from_a_worked_example_with_a_fractional_surplus() -> None:
    """20 voters, 3 seats, Droop quota 6. Chocolate's 12 votes carry a surplus of 6 on all 12
    ballots at 0.5 each; Pear is excluded and Oranges reach the quota; Hamburgers trail."""
    ballots = [["O"]] * 4 + [["P", "O"]] * 2 + [["C", "S"]] * 8 + [["C", "H"]] * 4 + [["S"]] * 1 + [["H"]] * 1
    count = single_transferable_vote(ballots, ["O", "P", "C", "S", "H"], 3)
    assert count.quota == 6
    assert count.rounds[0].elected == ["C"]
    assert count.rounds[1].votes == {"O": 4, "P": 2, "C": 6, "S": 5, "H": 3}
    assert count.rounds[1].excluded == ["P"]
    assert count.elected == ["C", "O", "S"]


def test_transfer_values_are_cut_to_five_decimal_places_and_the_loss_is_reported() -> None:
    """A's surplus of 2 goes on over A's 7 ballots at 2/7 = 0.28571 each (r. 48(3): the remainder
    ignored); the 0.00003 cut off is reported with the non-transferable value."""
    ballots = [["A", "B"]] * 7 + [["B"]] * 1 + [["C"]] * 2 + [["D"]] * 2
    count = single_transferable_vote(ballots, ["A", "B", "C", "D"], 2)
    assert count.quota == 5  # 12 // 3 + 1
    moved = count.rounds[1]
    assert moved.transferred == "A"
    assert moved.votes["A"] == 5
    assert moved.votes["B"] == 1 + 7 * Fraction(28571, 100000)
    assert moved.exhausted == Fraction(3, 100000)


def test_stv_fills_the_last_seats_when_as_many_candidates_remain() -> None:
    count = single_transferable_vote([["A"]] * 5 + [["B"]] * 2 + [["C"]] * 1, ["A", "B", "C"], 2)
    assert count.elected == ["A", "B"]


def test_an_election_without_ballots_elects_no_one() -> None:
    assert instant_runoff([], ["A", "B"]).elected == []
    assert instant_runoff([[]], ["A", "B"]).elected == []
    assert single_transferable_vote([], ["A", "B", "C"], 1).elected == []


def test_a_ballot_with_an_unknown_or_repeated_candidate_is_refused() -> None:
    with pytest.raises(ValueError, match="not a candidate"):
        instant_runoff([["A", "Z"]], ["A", "B"])
    with pytest.raises(ValueError, match="twice"):
        single_transferable_vote([["A", "A"]], ["A", "B"], 1)


def test_a_tie_for_exclusion_goes_by_earlier_counts_then_by_lot_the_same_way_every_time() -> None:
    # B and C tie in round 2 (3 each) but C had fewer in round 1: C goes.
    ballots = [["A"]] * 5 + [["B"]] * 3 + [["C"]] * 2 + [["D", "C"]] * 1
    count = instant_runoff(ballots, ["A", "B", "C", "D"])
    assert count.rounds[1].excluded == ["C"]
    assert "stage 1" in count.ties[0]
    # A perfect tie is drawn by lot, per candidate and seed: repeatable.
    drawn = {instant_runoff([["A"], ["B"]], ["A", "B"], seed="s").elected[0] for _ in range(3)}
    assert len(drawn) == 1


# --- yes or no ------------------------------------------------------------------------------------


def test_a_simple_majority_needs_more_yes_than_no_and_abstentions_do_not_count() -> None:
    assert count_yes_no(3, 2, 5).passed
    assert not count_yes_no(2, 2, 1).passed


def test_a_supermajority_needs_its_share_of_yes_and_no() -> None:
    assert count_yes_no(4, 2, threshold=Fraction(2, 3)).passed
    assert not count_yes_no(3, 2, 9, threshold=Fraction(2, 3)).passed
    assert not count_yes_no(0, 0, 4, threshold=Fraction(2, 3)).passed


# --- properties -----------------------------------------------------------------------------------

NAMES = ["A", "B", "C", "D", "E"]
rankings = st.permutations(NAMES).flatmap(lambda order: st.integers(0, 5).map(lambda n: list(order[:n])))
elections = st.lists(rankings, min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(elections, st.sampled_from(NAMES))
def test_a_candidate_ranked_first_by_a_majority_always_wins(ballots: list[list[str]], winner: str) -> None:
    """A majority of first choices makes a Condorcet winner; both counts must elect them."""
    others = len([b for b in ballots if b])
    favourite = [[winner, *[n for n in NAMES if n != winner][:2]]] * (others + 1)
    ballots = ballots + favourite
    assert instant_runoff(ballots, NAMES).elected == [winner]
    assert single_transferable_vote(ballots, NAMES, 1).elected == [winner]


@settings(max_examples=200, deadline=None)
@given(elections, st.booleans())
def test_removing_a_candidate_who_never_held_a_ballot_changes_nothing(
    ballots: list[list[str]], batch: bool
) -> None:
    count = instant_runoff(ballots, NAMES, seed="x", batch=batch)
    idle = [n for n in NAMES if n not in count.elected and all(r.votes.get(n, 0) == 0 for r in count.rounds)]
    for gone in idle:
        fewer = [[n for n in b if n != gone] for b in ballots]
        rest = [n for n in NAMES if n != gone]
        assert instant_runoff(fewer, rest, seed="x", batch=batch).elected == count.elected
    stv = single_transferable_vote(ballots, NAMES, 2, seed="x")
    idle = [n for n in NAMES if n not in stv.elected and all(r.votes.get(n, 0) == 0 for r in stv.rounds)]
    for gone in idle:
        fewer = [[n for n in b if n != gone] for b in ballots]
        rest = [n for n in NAMES if n != gone]
        assert single_transferable_vote(fewer, rest, 2, seed="x").elected == stv.elected


@settings(max_examples=200, deadline=None)
@given(elections)
def test_stv_with_one_seat_elects_the_instant_runoff_winner(ballots: list[list[str]]) -> None:
    assert single_transferable_vote(ballots, NAMES, 1, seed="x").elected == (
        instant_runoff(ballots, NAMES, seed="x").elected
    )
