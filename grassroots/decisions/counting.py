"""Counting votes: yes/no majorities, instant runoff and the single transferable vote.

Pure functions over plain data (no database), so each rule is tested on its own and any caller —
a committee's proposal, a coalition's endorsement vote — counts the same way. A ranked ballot is
a sequence of candidate keys, most preferred first, with no key twice (decisions.actions refuses
any other ballot before it is stored).

**Instant runoff** (one seat). Each round counts every ballot for its highest-ranked continuing
candidate; a ballot with none left is exhausted. A candidate with more than half of the ballots
still counting wins; otherwise the candidate with the fewest votes is excluded and the next round
is counted. With ``batch=True`` every candidate who cannot win is excluded at once: the largest
group of lowest candidates whose votes together are fewer than the next candidate's — the rule
Burlington, Vermont counted its 2009 mayoral election by (tests/test_counting.py reproduces its
published rounds from the city's ballots). Batch exclusion never changes the winner, only how many
rounds are shown; grassroots counts one exclusion per round, which explains itself best.

**Single transferable vote** (several seats), by the rules of The Scottish Local Government
Elections Order 2007 (SSI 2007/42), schedule 1, rules 45 to 52, which count by the weighted
inclusive Gregory method:

* the quota is the Droop quota: valid ballots ÷ (seats + 1), fractions dropped, plus one (r. 46);
* a candidate whose votes reach the quota is elected (r. 47); the surpluses of the elected are
  transferred one at a time, the largest first (r. 49), before anyone is excluded;
* a surplus is transferred on *every* ballot the elected candidate holds (inclusive), each ballot
  going on at the value surplus * (the ballot's value when received) / (the candidate's votes),
  calculated to five decimal places with any remainder ignored (r. 48(3)); the elected candidate
  keeps the quota and what is lost to truncation or to ballots with no next preference is
  reported as non-transferable;
* when no surplus remains, the candidate with the fewest votes is excluded and all their ballots
  go on at the value they carry (r. 50);
* when as many candidates continue as seats remain, they are all elected (r. 52).

Arithmetic is exact (``fractions.Fraction``); only the five-decimal truncation of r. 48 rounds.

**Ties.** Candidates tied for exclusion (or surpluses tied for transfer) are separated by their
votes at the earliest stage of the count at which they differed (Scottish r. 49(2), 50(2)); if they
never differed, by lot: the candidate whose key hashes lowest with the count's ``seed`` (the
proposal's id) goes first. The lot is drawn per candidate, not from a shared random sequence, so
adding or removing another candidate never changes who a tie goes to; each draw is reported.
With one seat, the single transferable vote elects the instant-runoff winner.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

PLACES = 100_000  # Scottish r. 48(3): transfer values to five decimal places


@dataclass
class Round:
    """One stage of a ranked count: every candidate's votes in it, and what happened at its end."""

    number: int
    votes: dict[str, Fraction]
    exhausted: Fraction  # ballots (or, in STV, value) with no continuing candidate left
    elected: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    transferred: str = ""  # STV: whose surplus or ballots this stage moved
    note: str = ""


@dataclass
class RankedCount:
    seats: int
    candidates: list[str]
    quota: Fraction | None  # STV's Droop quota; None for instant runoff
    valid: int  # ballots ranking at least one candidate
    rounds: list[Round]
    elected: list[str]
    ties: list[str] = field(default_factory=list)  # each tie broken, said in words


def _piles(ballots: Iterable[Sequence[str]], candidates: Sequence[str]) -> Counter[tuple[str, ...]]:
    known = set(candidates)
    piles: Counter[tuple[str, ...]] = Counter()
    for ballot in ballots:
        ranking = tuple(ballot)
        unknown = [key for key in ranking if key not in known]
        if unknown:
            raise ValueError(f"A ballot ranks {unknown[0]!r}, which is not a candidate.")
        if len(set(ranking)) != len(ranking):
            raise ValueError("A ballot ranks the same candidate twice.")
        piles[ranking] += 1
    return piles


def lot(seed: str, key: str) -> str:
    """The candidate's draw in a tie: lowest goes first. Fixed per (seed, candidate)."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def _first_of(
    tied: list[str], history: list[dict[str, Fraction]], seed: str, ties: list[str], *, fewest: bool
) -> str:
    """Break a tie: the candidate with the fewest (or most) votes at the earliest stage where the
    tied candidates differed, else by lot. Reports the tie in ``ties``."""
    remaining = sorted(tied)
    for stage, votes in enumerate(history, start=1):
        values = {key: votes.get(key, Fraction(0)) for key in remaining}
        target = min(values.values()) if fewest else max(values.values())
        narrowed = [key for key in remaining if values[key] == target]
        if len(narrowed) < len(remaining):
            remaining = narrowed
            if len(remaining) == 1:
                ties.append(f"{', '.join(sorted(tied))} tied; decided by the votes of stage {stage}.")
                return remaining[0]
    chosen = min(remaining, key=lambda key: lot(seed, key))
    ties.append(f"{', '.join(sorted(tied))} tied at every stage; decided by lot.")
    return chosen


def _top(ranking: tuple[str, ...], continuing: set[str]) -> str | None:
    return next((key for key in ranking if key in continuing), None)


def instant_runoff(
    ballots: Iterable[Sequence[str]], candidates: Sequence[str], *, seed: str = "", batch: bool = False
) -> RankedCount:
    """Count ranked ballots for one seat by instant runoff, keeping every round."""
    piles = _piles(ballots, candidates)
    valid = sum(n for ranking, n in piles.items() if ranking)
    continuing = list(dict.fromkeys(candidates))
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    ties: list[str] = []
    if not valid:  # no one ranked anyone: no one is chosen, not even by lot
        empty = Round(1, {key: Fraction(0) for key in continuing}, Fraction(sum(piles.values())))
        return RankedCount(1, list(candidates), None, 0, [empty], [], ties)
    while continuing:
        alive = set(continuing)
        votes = {key: Fraction(0) for key in continuing}
        exhausted = Fraction(0)
        for ranking, n in piles.items():
            top = _top(ranking, alive)
            if top is None:
                exhausted += n
            else:
                votes[top] += n
        history.append(votes)
        this = Round(number=len(rounds) + 1, votes=votes, exhausted=exhausted)
        rounds.append(this)
        counting = sum(votes.values())
        leader = max(continuing, key=lambda key: votes[key])
        if len(continuing) == 1 or 2 * votes[leader] > counting:
            if counting or len(continuing) == 1:
                this.elected = [leader]
            return RankedCount(1, list(candidates), None, valid, rounds, this.elected, ties)
        this.excluded = _batch(continuing, votes) if batch else []
        if not this.excluded:
            fewest = min(votes.values())
            tied = [key for key in continuing if votes[key] == fewest]
            this.excluded = [tied[0] if len(tied) == 1 else _first_of(tied, history, seed, ties, fewest=True)]
        continuing = [key for key in continuing if key not in this.excluded]
    return RankedCount(1, list(candidates), None, valid, rounds, [], ties)


def _batch(continuing: list[str], votes: dict[str, Fraction]) -> list[str]:
    """The largest group of lowest candidates whose votes together are fewer than the next one's."""
    ordered = sorted(continuing, key=lambda key: votes[key])
    total, size = Fraction(0), 0
    for i in range(len(ordered) - 1):
        total += votes[ordered[i]]
        if total < votes[ordered[i + 1]]:
            size = i + 1
    return ordered[:size] if size > 1 else []


@dataclass
class _Parcel:
    ranking: tuple[str, ...]
    ballots: int
    value: Fraction  # the value of each ballot in it


def _truncate(value: Fraction) -> Fraction:
    return Fraction(math.floor(value * PLACES), PLACES)


def single_transferable_vote(
    ballots: Iterable[Sequence[str]], candidates: Sequence[str], seats: int, *, seed: str = ""
) -> RankedCount:
    """Count ranked ballots for ``seats`` seats by Scottish STV (see the module's docstring)."""
    if seats < 1:
        raise ValueError("An election needs at least one seat.")
    piles = _piles(ballots, candidates)
    valid = sum(n for ranking, n in piles.items() if ranking)
    quota = Fraction(valid // (seats + 1) + 1)
    continuing = list(dict.fromkeys(candidates))
    held: dict[str, list[_Parcel]] = {key: [] for key in continuing}
    votes: dict[str, Fraction] = {key: Fraction(0) for key in continuing}
    elected: list[str] = []
    surpluses: list[str] = []  # elected candidates whose surplus is still to be transferred
    lost = Fraction(0)
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    ties: list[str] = []

    def give(parcels: Iterable[_Parcel]) -> Fraction:
        """Pass parcels to their next continuing preference; returns the value that had none."""
        alive = set(continuing)
        nowhere = Fraction(0)
        for parcel in parcels:
            top = _top(parcel.ranking, alive)
            if top is None:
                nowhere += parcel.ballots * parcel.value
            else:
                held[top].append(parcel)
                votes[top] += parcel.ballots * parcel.value
        return nowhere

    if not valid:
        empty = Round(1, dict(votes), Fraction(0), note="No ballots.")
        return RankedCount(seats, list(candidates), quota, 0, [empty], [], ties)
    lost += give(_Parcel(ranking, n, Fraction(1)) for ranking, n in piles.items() if ranking)
    transferred, note = "", "First preferences."
    while True:
        this = Round(len(rounds) + 1, dict(votes), lost, transferred=transferred, note=note)
        rounds.append(this)
        history.append(this.votes)
        reached = [key for key in continuing if votes[key] >= quota]
        for key in sorted(reached, key=lambda k: -votes[k]):
            continuing.remove(key)
            elected.append(key)
            surpluses.append(key)
            this.elected.append(key)
        if len(elected) >= seats:
            break
        if len(continuing) <= seats - len(elected):
            this.elected.extend(continuing)
            elected.extend(continuing)
            this.note += " As many candidates continue as seats remain: they are elected."
            break
        surpluses = [key for key in surpluses if votes[key] > quota]
        if surpluses:
            largest = max(votes[key] for key in surpluses)
            tied = [key for key in surpluses if votes[key] == largest]
            source = tied[0] if len(tied) == 1 else _first_of(tied, history, seed, ties, fewest=False)
            surpluses.remove(source)
            surplus = votes[source] - quota
            share = surplus / votes[source]
            moving = [_Parcel(p.ranking, p.ballots, _truncate(share * p.value)) for p in held[source]]
            held[source] = []
            sent = sum((p.ballots * p.value for p in moving), Fraction(0))
            lost += give(moving) + (surplus - sent)
            votes[source] = quota
            transferred, note = source, f"Surplus of {source} transferred."
        else:
            fewest = min(votes[key] for key in continuing)
            tied = [key for key in continuing if votes[key] == fewest]
            loser = tied[0] if len(tied) == 1 else _first_of(tied, history, seed, ties, fewest=True)
            this.excluded.append(loser)
            continuing.remove(loser)
            moving = held.pop(loser)
            votes[loser] = Fraction(0)
            lost += give(moving)
            del votes[loser]
            transferred, note = loser, f"Ballots of {loser} transferred."
    return RankedCount(seats, list(candidates), quota, valid, rounds, elected, ties)


@dataclass
class YesNoCount:
    yes: int
    no: int
    abstain: int
    threshold: Fraction  # share of yes among yes and no needed; 1/2 means "more than half"
    passed: bool


def count_yes_no(yes: int, no: int, abstain: int = 0, *, threshold: Fraction | None = None) -> YesNoCount:
    """Simple majority (``threshold`` None: more yes than no) or a supermajority: yes at least
    ``threshold`` of yes and no. Abstentions count towards quorum, never for or against."""
    if threshold is None:
        return YesNoCount(yes, no, abstain, Fraction(1, 2), yes > no)
    decided = yes + no
    return YesNoCount(yes, no, abstain, threshold, decided > 0 and Fraction(yes, decided) >= threshold)
