"""Matching people to voter records, and to each other, without false matches.

A database-independent engine: callers turn their rows into ``MatchRecord``s and get
``MatchResult``s back, each with a weight, a probability, a decision ("link",
"review" or "no") and an explanation an organizer can read::

    from grassroots.voters.matching import MatchRecord, match

    results = match(signups, voters)            # best voter for each sign-up
    pairs = dedupe(people)                      # people who are likely one person

How it works (docs/EXPLANATION-matching.md says why):

* records.py   — fold names, codes for every value, columns of integers;
* blocking.py  — which pairs are compared at all (a union of keys, never all pairs);
* compare.py   — comparison levels per field (exact, nickname, Jaro-Winkler, ...);
* model.py     — the Fellegi-Sunter model: u from the data, m by EM, weights;
* engine.py    — scoring in chunks, the best candidate, decisions, explanations.
"""

from __future__ import annotations

from grassroots.voters.matching.compare import FIELDS
from grassroots.voters.matching.engine import (
    MatchConfig,
    Matcher,
    MatchResult,
    MatchStats,
    dedupe,
    match,
)
from grassroots.voters.matching.model import MatchModel
from grassroots.voters.matching.records import MatchRecord

__all__ = [
    "FIELDS",
    "MatchConfig",
    "MatchModel",
    "MatchRecord",
    "MatchResult",
    "MatchStats",
    "Matcher",
    "dedupe",
    "match",
]
