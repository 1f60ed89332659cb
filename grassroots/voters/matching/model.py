"""The Fellegi-Sunter model: m and u probabilities per comparison level, and weights.

For each field and level, m is the chance that a true match shows that level and u
the chance that two different people do. A level weighs log2(m / u) bits; a pair's
match weight is the prior log-odds plus the sum over its fields (fields unknown on
either side weigh nothing). How each is estimated:

* u, from the data itself: exact agreements are counted over all pairs of distinct
  right-hand records (sum over values of n·(n-1)); the fuzzier levels come from a
  random sample of left-right pairs.
* m, by expectation-maximization, on each sampled left record's best candidate (ranked by
  a provisional model): mostly true matches plus the hardest non-matches (relatives,
  namesakes), which a two-class mixture separates. Over all candidate pairs a mixture
  would take the large clusters of households or of namesakes for the match class.
* The match rate (hence the prior), by a second EM with m and u fixed: each left record
  is one of its candidates or none (estimate_match_rate).
* Every estimate is blended with a prior by pseudo-counts, so that tiny inputs (a
  test, one sign-up) fall back to sensible values instead of noise.

Two refinements to plain Fellegi-Sunter:

* Term frequency: agreeing on a rare value says more than agreeing on a common one
  (Yokasta vs Maria, a house vs a 300-unit building, 1 January 1900 as a placeholder).
  Exact levels of names, birth date and address are re-weighted by the value's
  frequency in the right-hand data.
* Dependence: first name, last name, address and phone are not independent. Families
  share a last name, an address and a landline; first names and surnames come from one
  community (a Gideon is more likely an Adler than the product of the two shares says).
  When two or more of these agree, their summed weight is capped at what the agreement
  of that set is worth, log2(product of m / joint u), with the joint u the share of
  pairs of different right-hand records that agree on the whole set (counted exactly).
  For first and last name together the cap also uses the full name's own frequency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grassroots.voters.matching.compare import (
    A_EXACT,
    A_OTHER_UNIT,
    A_UNIT_MISSING,
    B_EXACT,
    EQUAL,
    F_EXACT,
    FIELD_INDEX,
    FIELDS,
    L_EXACT,
    Comparer,
    Field,
)
from grassroots.voters.matching.records import Table

# Prior m and u per level (index 0, "missing", is unused). The m priors are shares among
# true matches of forms and files as they come in; the u priors those of two different
# people of a city of about a million.
PRIOR_M: dict[str, tuple[float, ...]] = {
    "first_name": (0, 0.84, 0.005, 0.06, 0.04, 0.01, 0.005, 0.02, 0.02),
    "middle_name": (0, 0.6, 0.3, 0.1),
    "last_name": (0, 0.86, 0.005, 0.04, 0.03, 0.02, 0.045),
    # full dates: exact, typo, same year, within a year, different | year only: same, near, different
    "birth_date": (0, 0.9, 0.05, 0.01, 0.02, 0.02, 0.9, 0.05, 0.05),
    # street: exact, unit missing, other unit, fuzzy, same ZIP, different | ZIP only: same, different
    "address": (0, 0.6, 0.1, 0.005, 0.05, 0.05, 0.18, 0.85, 0.15),
    "phone": (0, 0.7, 0.3),
    "email": (0, 0.7, 0.3),
}
PRIOR_U: dict[str, tuple[float, ...]] = {
    "first_name": (0, 0.01, 1e-6, 0.002, 0.003, 0.001, 0.0005, 0.01, 0.9735),
    "middle_name": (0, 0.02, 0.04, 0.94),
    "last_name": (0, 0.002, 1e-6, 0.001, 0.0005, 0.005, 0.9915),
    "birth_date": (0, 4e-5, 4e-4, 0.013, 0.015, 0.97156, 0.014, 0.028, 0.958),
    "address": (0, 3e-6, 1e-6, 1e-5, 1e-5, 0.01, 0.989976, 0.01, 0.99),
    "phone": (0, 3e-6, 1 - 3e-6),
    "email": (0, 1e-6, 1 - 1e-6),
}
BUILDING_LEVELS = (A_EXACT, A_UNIT_MISSING, A_OTHER_UNIT)
# Pseudo-counts: how many pairs' worth of evidence each prior is worth.
U_PRIOR_PAIRS = 100_000.0
M_PRIOR_PAIRS = 200.0
MATCH_RATE_PRIOR = 0.5  # share of left records with a match, before the data says
DEDUPE_RATE_PRIOR = 0.05  # share of records with a duplicate, before the data says
MATCH_RATE_PRIOR_RECORDS = 50.0
# How far a value's frequency may move the weight of an exact agreement, in bits.
TF_MAX_GAIN, TF_MAX_LOSS = 6.0, 12.0


def normalized(values: Sequence[float] | np.ndarray, f: Field) -> np.ndarray:
    """Level probabilities made distributions within each of the field's groups (level 0 is 0)."""
    out = np.asarray(values, dtype=np.float64).copy()
    out[0] = 0.0
    for group in f.level_groups():
        index = list(group)
        total = out[index].sum()
        out[index] = out[index] / total if total > 0 else 1.0 / len(index)
    return out


# Fields whose agreements go together (bit 0 first name, 1 last name, 2 address, 3 phone). For
# small data, the prior joint u of each set: a factor times the u of its rarest field's agreement
# (e.g. of two people in one building, about 35 in 100 share a last name).
DEPENDENT_FIELDS = ("first", "last", "address", "phone")
_PRIOR_JOINT: dict[int, float] = {
    0b0011: 30.0,  # first+last: times u_first * u_last, the community a name comes from
    0b0101: 0.02,  # first+address
    0b1001: 0.02,  # first+phone
    0b0110: 0.35,  # last+address
    0b1010: 0.5,  # last+phone
    0b1100: 0.15,  # address+phone
    0b0111: 0.005,  # first+last+address (a father and son of one name)
    0b1011: 0.005,
    0b1101: 0.005,
    0b1110: 0.1,
    0b1111: 0.003,
}


ADDRESS_BIT = 0b0100


def mask_name(mask: int, door: bool = False) -> str:
    """ "first+last+address": agreeing on the building; "first+last+door": on the very door (unit too)."""
    names = [name for bit, name in enumerate(DEPENDENT_FIELDS) if mask >> bit & 1]
    return "+".join("door" if door and name == "address" else name for name in names)


def _variants() -> list[tuple[int, bool]]:
    return [(mask, door) for mask in _PRIOR_JOINT for door in (False, True) if not door or mask & ADDRESS_BIT]


@dataclass
class MatchModel:
    """Trained parameters; keep one (``to_dict``) to score later batches against the same file."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    match_rate: float  # expected matches per left record (per record, for dedupe)
    joint_u: dict[str, float] = field(default_factory=dict)  # "last+address": share of pairs agreeing on both
    em_iterations: int = 0
    em_pairs: int = 0

    def weights(self) -> dict[str, np.ndarray]:
        """log2(m/u) per level; 0 for "missing"."""
        out = {}
        for f in FIELDS:
            m = np.asarray(self.m[f.key], dtype=np.float64)
            u = np.asarray(self.u[f.key], dtype=np.float64)
            w = np.zeros(len(f.levels))
            w[1:] = np.log2(np.maximum(m[1:], 1e-12) / np.maximum(u[1:], 1e-15))
            out[f.key] = w
        return out

    def agreement_m(self, door: bool = False) -> tuple[float, float, float, float]:
        """m of "agrees" for first name (exact), last name (exact), address (one building, or
        with ``door`` the same door), phone."""
        return _agreement(self.m, door)

    def caps(self) -> np.ndarray:
        """(2, 16): for agreement on the building (row 0) or the door (row 1), and each set (mask)
        of agreeing dependent fields, the most their agreement together may weigh:
        log2(product of their m / joint u); +inf for sets of fewer than two."""
        out = np.full((2, 16), np.inf)
        for mask, door in _variants():
            name = mask_name(mask, door)
            if name in self.joint_u:
                agree_m = self.agreement_m(door)
                m = math.prod(agree_m[bit] for bit in range(4) if mask >> bit & 1)
                out[int(door), mask] = math.log2(max(m, 1e-12) / max(self.joint_u[name], 1e-18))
        out[1, : ADDRESS_BIT * 2] = np.where(
            np.arange(ADDRESS_BIT * 2) & ADDRESS_BIT, out[1, : ADDRESS_BIT * 2], out[0, : ADDRESS_BIT * 2]
        )
        out[1, ADDRESS_BIT * 2 :] = np.where(
            np.arange(ADDRESS_BIT * 2, 16) & ADDRESS_BIT, out[1, ADDRESS_BIT * 2 :], out[0, ADDRESS_BIT * 2 :]
        )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "m": self.m,
            "u": self.u,
            "match_rate": self.match_rate,
            "joint_u": self.joint_u,
            "em_iterations": self.em_iterations,
            "em_pairs": self.em_pairs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchModel:
        return cls(
            m={k: [float(x) for x in v] for k, v in data["m"].items()},
            u={k: [float(x) for x in v] for k, v in data["u"].items()},
            match_rate=float(data["match_rate"]),
            joint_u={k: float(v) for k, v in data.get("joint_u", {}).items()},
            em_iterations=int(data.get("em_iterations", 0)),
            em_pairs=int(data.get("em_pairs", 0)),
        )

    @classmethod
    def from_priors(cls) -> MatchModel:
        u = {f.key: normalized(PRIOR_U[f.key], f).tolist() for f in FIELDS}
        m = {f.key: normalized(PRIOR_M[f.key], f).tolist() for f in FIELDS}
        return cls(m=m, u=u, match_rate=MATCH_RATE_PRIOR, joint_u=prior_joint_u(u))


def _agreement(p: dict[str, list[float]], door: bool) -> tuple[float, float, float, float]:
    """For m or u: the probability of "agrees" on first name, last name, address, phone."""
    address = p["address"][A_EXACT] if door else sum(p["address"][level] for level in BUILDING_LEVELS)
    return (p["first_name"][F_EXACT], p["last_name"][L_EXACT], address, p["phone"][EQUAL])


def prior_joint_u(u: dict[str, list[float]]) -> dict[str, float]:
    out = {}
    for mask, door in _variants():
        agree = _agreement(u, door)
        factor = _PRIOR_JOINT[mask]
        if mask == 0b0011:
            out[mask_name(mask)] = factor * agree[0] * agree[1]
        else:
            out[mask_name(mask, door)] = factor * min(agree[bit] for bit in range(4) if mask >> bit & 1)
    return out


# Keys for exact counting ------------------------------------------------------------------


def factorize(*columns: np.ndarray) -> np.ndarray:
    """Dense int64 ids of the combination of the columns; -1 where any column is unknown (< 0)."""
    known = np.ones(columns[0].shape, dtype=np.bool_)
    for col in columns:
        known &= col >= 0
    ids = np.zeros(columns[0].shape, dtype=np.int64)
    for col in columns:
        values = col.astype(np.int64)
        span = np.int64(values.max(initial=0) + 1)
        _, ids = np.unique(ids * span + np.maximum(values, 0), return_inverse=True)
        ids = ids.astype(np.int64)
    return np.where(known, ids, -1)


def building_ids(table: Table) -> np.ndarray:
    """A key per record for its building (street line and ZIP); -1 without a street line."""
    zip_part = np.where(table.line >= 0, table.zip + 1, -1)  # a missing ZIP is a value of its own here
    return factorize(table.line, zip_part)


def address_ids(table: Table) -> np.ndarray:
    """A key per record for its door (street line, unit and ZIP)."""
    zip_part = np.where(table.line >= 0, table.zip + 1, -1)
    unit_part = np.where(table.line >= 0, table.unit + 1, -1)
    return factorize(table.line, unit_part, zip_part)


def _pair_share(keys: np.ndarray) -> tuple[float, float]:
    """(share of pairs of distinct known records with equal keys, number of such pairs)."""
    known = keys[keys >= 0]
    n = known.size
    if n < 2:
        return 0.0, 0.0
    _, counts = np.unique(known, return_counts=True)
    counts = counts.astype(np.float64)
    pairs = float(n) * (n - 1)
    return float((counts * (counts - 1)).sum() / pairs), pairs


def _blend(share: float, pairs: float, prior: float) -> float:
    return (share * pairs + prior * U_PRIOR_PAIRS) / (pairs + U_PRIOR_PAIRS)


# u -----------------------------------------------------------------------------------------


def _random_pairs(
    n_left: int, n_right: int, same: bool, rng: np.random.Generator, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Random (left, right) row pairs, all of them when there are few; never a row with itself."""
    if n_left == 0 or n_right == 0 or (same and n_left < 2):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if n_left * n_right <= size:
        a, b = np.divmod(np.arange(n_left * n_right, dtype=np.int64), n_right)
        keep = a != b if same else np.ones(a.shape, dtype=np.bool_)
        return a[keep], b[keep]
    a = rng.integers(0, n_left, size=size)
    if same:
        b = rng.integers(0, n_right - 1, size=size)
        return a, b + (b >= a)
    return a, rng.integers(0, n_right, size=size)


def estimate_u(
    left: Table, right: Table, comparer: Comparer, rng: np.random.Generator, sample_pairs: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """u per level, and the joint u of the dependent fields.

    Exact agreements are counted over all pairs of distinct right-hand records (a voter file
    holds each person once, so they are pairs of different people); the other levels come
    from random left-right pairs, which show how the left side is filled in (year only,
    unit left out) and are the same person about once in len(right) times.
    """
    counts = {f.key: np.zeros(len(f.levels)) for f in FIELDS}
    sampled = {f.key: 0.0 for f in FIELDS}
    a, b = _random_pairs(left.size, right.size, left is right, rng, sample_pairs)
    if a.size:
        levels = comparer.levels(left, right, a, b)
        for index, f in enumerate(FIELDS):
            hist = np.bincount(levels[index], minlength=len(f.levels)).astype(np.float64)
            counts[f.key] = hist
            sampled[f.key] = float(hist[1:].sum())
    buildings = building_ids(right)
    exact_keys: dict[tuple[str, int], np.ndarray] = {
        ("first_name", F_EXACT): right.first,
        ("middle_name", 1): right.middle,
        ("last_name", L_EXACT): right.last,
        ("birth_date", B_EXACT): right.birth,
        ("address", A_EXACT): address_ids(right),
        ("phone", EQUAL): right.phone,
        ("email", EQUAL): right.email,
    }
    counted: dict[tuple[str, int], float] = {}
    for (key, level), values in exact_keys.items():
        share, pairs = _pair_share(values)
        counted[(key, level)] = _blend(share, pairs, PRIOR_U[key][level])
    building_share, building_pairs = _pair_share(buildings)
    u: dict[str, list[float]] = {}
    for f in FIELDS:
        prior = normalized(PRIOR_U[f.key], f)
        values = np.zeros(len(f.levels))
        for group in f.level_groups():
            seen = float(sum(counts[f.key][level] for level in group))
            for level in group[:-1]:
                if (f.key, level) in counted:
                    values[level] = counted[(f.key, level)]
                else:
                    values[level] = (counts[f.key][level] + prior[level] * U_PRIOR_PAIRS) / (
                        seen + U_PRIOR_PAIRS
                    )
            if f.key == "address" and A_EXACT in group:
                # The building's pairs: its other levels share what exact leaves (split later, by
                # how candidates in one building show them: split_building_u).
                building = max(
                    _blend(building_share, building_pairs, float(prior[list(BUILDING_LEVELS)].sum())),
                    values[A_EXACT],
                )
                values[A_UNIT_MISSING] = values[A_OTHER_UNIT] = (building - values[A_EXACT]) / 2
            values[group[-1]] = max(1.0 - sum(values[level] for level in group[:-1]), 1e-3)
        u[f.key] = normalized(values, f).tolist()
    return u, estimate_joint_u(right, buildings, u)


def estimate_joint_u(right: Table, buildings: np.ndarray, u: dict[str, list[float]]) -> dict[str, float]:
    """For each set of two or more dependent fields, the share of pairs of distinct right-hand
    records agreeing on all of them, counted exactly (and blended with a prior for small files)."""
    priors = prior_joint_u(u)
    out = {}
    for door in (False, True):
        columns = (right.first, right.last, address_ids(right) if door else buildings, right.phone)
        ids: dict[int, np.ndarray] = {}
        for mask in sorted(_PRIOR_JOINT, key=lambda m: (bin(m).count("1"), m)):
            top = mask.bit_length() - 1
            rest = mask & ~(1 << top)
            ids[mask] = factorize(ids[rest] if rest in ids else columns[rest.bit_length() - 1], columns[top])
            if door and not mask & ADDRESS_BIT:
                continue  # counted in the first round
            name = mask_name(mask, door)
            share, pairs = _pair_share(ids[mask])
            out[name] = _blend(share, pairs, priors[name])
    return out


# m, by EM ----------------------------------------------------------------------------------


@dataclass
class EMResult:
    m: dict[str, list[float]]
    match_share: float  # share of the pairs that are matches
    iterations: int


def estimate_m(
    patterns: np.ndarray,
    counts: np.ndarray,
    *,
    iterations: int,
    start: dict[str, list[float]],
    tolerance: float = 1e-6,
) -> EMResult:
    """Two-class EM on distinct comparison vectors (patterns: (fields, k) levels; counts: pairs each).

    Meant for each left record's best candidate: mostly true matches, and the hardest
    non-matches (relatives, namesakes), whose level shares start from the data and are left
    free. m starts at ``start`` and is pulled towards PRIOR_M by M_PRIOR_PAIRS pseudo-pairs.
    """
    total = float(counts.sum())
    m = [normalized(start[f.key], f) for f in FIELDS]
    if total == 0:
        return EMResult({f.key: m[i].tolist() for i, f in enumerate(FIELDS)}, 0.0, 0)
    prior_m = [normalized(PRIOR_M[f.key], f) for f in FIELDS]
    u = [
        normalized(np.bincount(patterns[i], weights=counts, minlength=len(f.levels)) + 1.0, f)
        for i, f in enumerate(FIELDS)
    ]
    share = 0.5
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007 - the count is returned
        log_odds = np.full(counts.shape, math.log(share / (1.0 - share)))
        for index in range(len(FIELDS)):
            levels = patterns[index]
            ratio = np.log(np.maximum(m[index], 1e-300)) - np.log(np.maximum(u[index], 1e-300))
            log_odds += np.where(levels > 0, ratio[levels], 0.0)
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        matched = counts * posterior
        unmatched = counts - matched
        change = 0.0
        for index, f in enumerate(FIELDS):
            levels = patterns[index]
            size = len(f.levels)
            mm = normalized(
                np.bincount(levels, weights=matched, minlength=size) + M_PRIOR_PAIRS * prior_m[index], f
            )
            uu = normalized(np.bincount(levels, weights=unmatched, minlength=size) + 1.0, f)
            change = max(change, float(np.abs(mm - m[index]).max()))
            m[index], u[index] = mm, uu
        new_share = min(max(float(matched.sum()) / total, 1e-9), 1 - 1e-9)
        change = max(change, abs(new_share - share))
        share = new_share
        if change < tolerance:
            break
    return EMResult({f.key: m[i].tolist() for i, f in enumerate(FIELDS)}, share, done)


def estimate_match_rate(
    groups: np.ndarray, weights: np.ndarray, n_left: int, people: int, *, dedupe: bool, iterations: int = 200
) -> float:
    """The share of left records that are one of the right records, by EM with m and u fixed.

    ``weights`` are the evidence (no prior) of candidate pairs of n_left sampled left records,
    ``groups`` the left row of each. A left record is one of its candidates or none: given the
    rate, P(one of them) = S / (1 + S), S = the sum of the candidates' posterior odds; the rate
    is the mean of that over the left records, iterated to a fixed point. For dedupe each pair
    stands alone and the rate is duplicates per record.
    """
    prior = DEDUPE_RATE_PRIOR if dedupe else MATCH_RATE_PRIOR
    if n_left == 0 or weights.size == 0:
        return blended_match_rate(0.0, n_left, prior=prior)
    order = np.argsort(groups, kind="stable")
    w = np.asarray(weights, dtype=np.float64)[order]
    starts = np.flatnonzero(np.r_[True, groups[order][1:] != groups[order][:-1]])
    top = np.maximum.reduceat(w, starts)
    relative = np.exp2(np.clip(w - np.repeat(top, np.diff(np.r_[starts, w.size])), -1000, 0))
    log_sum = top + np.log2(np.add.reduceat(relative, starts))  # log2 of the sum of each left's 2**w
    rate = prior
    for _ in range(iterations):
        if dedupe:
            odds_bits = w + math.log2(max(rate / people, 1e-300))
            expected = 2.0 * float((1.0 / (1.0 + np.exp2(-np.clip(odds_bits, -1000, 1000)))).sum())
        else:
            odds_bits = log_sum + math.log2(rate / ((1.0 - rate) * people))
            expected = float((1.0 / (1.0 + np.exp2(-np.clip(odds_bits, -1000, 1000)))).sum())
        new_rate = blended_match_rate(expected, n_left, prior=prior)
        new_rate = min(new_rate, 0.999)
        if abs(new_rate - rate) < 1e-7:
            rate = new_rate
            break
        rate = new_rate
    return rate


def split_building_u(u: dict[str, list[float]], candidate_levels: np.ndarray) -> dict[str, list[float]]:
    """Share the building's counted u among exact / unit missing / other unit in the proportions
    candidate pairs in one building show (nearly all different people). How often a unit is
    left out depends on the left side's forms, which pairs of voter records cannot tell."""
    levels = (A_EXACT, A_UNIT_MISSING, A_OTHER_UNIT)
    hist = np.bincount(candidate_levels, minlength=len(u["address"])).astype(np.float64)
    seen = np.array([hist[level] for level in levels]) + 1.0
    address = list(u["address"])
    building = sum(address[level] for level in levels)
    for level, share in zip(levels, seen / seen.sum(), strict=True):
        address[level] = building * float(share)
    return {**u, "address": address}


def blended_match_rate(expected_matches: float, n_left: int, prior: float = MATCH_RATE_PRIOR) -> float:
    """Expected matches per left record, pulled towards the prior when few records were seen."""
    rate = (expected_matches + prior * MATCH_RATE_PRIOR_RECORDS) / (n_left + MATCH_RATE_PRIOR_RECORDS)
    return min(max(rate, 1e-4), 1.0)


# Term frequencies --------------------------------------------------------------------------


@dataclass
class TermFrequencies:
    """Per right-hand record, the bits to add to an exact agreement on that record's value."""

    first: np.ndarray
    last: np.ndarray
    birth: np.ndarray
    address: np.ndarray
    building: np.ndarray
    full_name: np.ndarray  # -log2 of the share of right records bearing the record's first and last name


def _shares(values: np.ndarray, average_u: float) -> np.ndarray:
    """Each record's value's share of the right-hand records, pulled towards the average for small files."""
    out = np.full(values.shape, average_u, dtype=np.float64)
    known = values >= 0
    n = int(known.sum())
    if n == 0:
        return out
    _, inverse, counts = np.unique(values[known], return_inverse=True, return_counts=True)
    trust = n / (n + 10_000.0)  # small files: frequencies are noise, keep the average
    out[known] = trust * counts[inverse] / n + (1 - trust) * average_u
    return out


def term_frequencies(right: Table, u: dict[str, list[float]], joint_u: dict[str, float]) -> TermFrequencies:
    def adjust(values: np.ndarray, average_u: float) -> np.ndarray:
        bits = np.log2(average_u / _shares(values, average_u))
        return np.clip(bits, -TF_MAX_LOSS, TF_MAX_GAIN).astype(np.float32)

    names_u = joint_u.get("first+last", u["first_name"][F_EXACT] * u["last_name"][L_EXACT])
    full_name = -np.log2(_shares(factorize(right.first, right.last), names_u))

    building_u = sum(u["address"][level] for level in BUILDING_LEVELS)
    return TermFrequencies(
        first=adjust(right.first, u["first_name"][F_EXACT]),
        last=adjust(right.last, u["last_name"][L_EXACT]),
        birth=adjust(right.birth, u["birth_date"][B_EXACT]),
        address=adjust(address_ids(right), u["address"][A_EXACT]),
        building=adjust(building_ids(right), building_u),
        full_name=np.minimum(full_name, -math.log2(names_u) + TF_MAX_GAIN).astype(np.float32),
    )


# Scoring -----------------------------------------------------------------------------------

_I_FIRST, _I_LAST, _I_BIRTH = FIELD_INDEX["first_name"], FIELD_INDEX["last_name"], FIELD_INDEX["birth_date"]
_I_ADDRESS, _I_PHONE = FIELD_INDEX["address"], FIELD_INDEX["phone"]


class Scorer:
    """Turns comparison levels into weights, with term frequencies and the dependence correction."""

    def __init__(self, model: MatchModel, tf: TermFrequencies) -> None:
        weights = model.weights()
        self.tables = [weights[f.key].astype(np.float32) for f in FIELDS]
        self.caps = model.caps()
        agree_m = model.agreement_m()
        self.names_m_bits = math.log2(max(agree_m[0] * agree_m[1], 1e-12))
        self.tf = tf

    def field_weights(self, levels: np.ndarray, rj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fields, pairs) weights; the (pairs,) dependence correction (<= 0); the (pairs,) mask of
        dependent fields that agree (bit 0 first name, 1 last name, 2 address, 3 phone)."""
        out = np.empty(levels.shape, dtype=np.float32)
        for index, table in enumerate(self.tables):
            out[index] = table[levels[index]]
        tf = self.tf
        for index, level, adjust in (
            (_I_FIRST, F_EXACT, tf.first),
            (_I_LAST, L_EXACT, tf.last),
            (_I_BIRTH, B_EXACT, tf.birth),
            (_I_ADDRESS, A_EXACT, tf.address),
        ):
            hit = levels[index] == level
            out[index, hit] += adjust[rj[hit]]
        in_building = (levels[_I_ADDRESS] == A_UNIT_MISSING) | (levels[_I_ADDRESS] == A_OTHER_UNIT)
        out[_I_ADDRESS, in_building] += tf.building[rj[in_building]]

        agree = (
            levels[_I_FIRST] == F_EXACT,
            levels[_I_LAST] == L_EXACT,
            (levels[_I_ADDRESS] >= A_EXACT) & (levels[_I_ADDRESS] <= A_OTHER_UNIT),
            levels[_I_PHONE] == EQUAL,
        )
        mask = np.zeros(levels.shape[1], dtype=np.int8)
        together = np.zeros(levels.shape[1], dtype=np.float32)
        for bit, (index, hit) in enumerate(
            zip((_I_FIRST, _I_LAST, _I_ADDRESS, _I_PHONE), agree, strict=True)
        ):
            mask |= hit.astype(np.int8) << bit
            together += np.where(hit, out[index], 0)
        door = (levels[_I_ADDRESS] == A_EXACT).astype(np.int8)
        capped = np.minimum(together, self.caps[door, mask])
        names = agree[0] & agree[1]
        if names.any():
            # First and last name together weigh at most what this full name's rarity says.
            names_cap = self.names_m_bits + tf.full_name[rj[names]]
            rest = together[names] - out[_I_FIRST, names] - out[_I_LAST, names]
            capped[names] = np.minimum(capped[names], names_cap + rest)
        correction = np.minimum(0.0, capped - together).astype(np.float32)
        return out, correction, mask

    def total(self, levels: np.ndarray, rj: np.ndarray) -> np.ndarray:
        weights, correction, _ = self.field_weights(levels, rj)
        return weights.sum(axis=0, dtype=np.float64) + correction
