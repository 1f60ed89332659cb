"""Comparison levels: for each field of a pair of records, how well they agree.

Each field has an ordered list of levels, level 0 being "unknown on one side or both"
(it weighs nothing), the last "different". A pair of records is a vector of levels,
one per field; the model (model.py) gives each level a weight.

Everything here is vectorized over many pairs at once: the inputs are two tables of
integer codes and two arrays of row numbers. String similarity (Jaro-Winkler, from
rapidfuzz) runs once per distinct pair of strings among the pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from grassroots.voters.matching.records import NameArrays, Table, Vocabularies


@dataclass(frozen=True)
class Field:
    """A compared field and its levels.

    Levels fall in groups by what is known on both sides (a full birth date, or only a year
    on one side; a street address, or only a ZIP code): m and u are distributions within a
    group, so that how often a form leaves something out does not move the weights. The last
    level of each group is its "different".
    """

    key: str
    label: str
    levels: tuple[str, ...]  # a word per level, level 0 being "missing"
    texts: tuple[str, ...]  # how an explanation reads each level
    groups: tuple[tuple[int, ...], ...] = ()

    def level_groups(self) -> tuple[tuple[int, ...], ...]:
        return self.groups or (tuple(range(1, len(self.levels))),)


FIRST = Field(
    "first_name",
    "first name",
    ("missing", "exact", "swapped", "nickname", "jw92", "middle", "initial", "jw85", "different"),
    (
        "not known on both sides",
        "same ({a})",
        "first and last names swapped ({a} / {b})",
        "nickname ({a} ≈ {b})",
        "nearly the same spelling ({a} ≈ {b})",
        "one goes by the middle name ({a} / {b})",
        "initial only ({a} / {b})",
        "similar spelling ({a} ~ {b})",
        "different ({a} ≠ {b})",
    ),
)
LAST = Field(
    "last_name",
    "last name",
    ("missing", "exact", "swapped", "jw92", "shared_word", "jw85", "different"),
    (
        "not known on both sides",
        "same ({a})",
        "first and last names swapped ({a} / {b})",
        "nearly the same spelling ({a} ≈ {b})",
        "one of two surnames in common ({a} / {b})",
        "similar spelling ({a} ~ {b})",
        "different ({a} ≠ {b})",
    ),
)
MIDDLE = Field(
    "middle_name",
    "middle name",
    ("missing", "exact", "initial", "different"),
    ("not known on both sides", "same ({a})", "initial agrees ({a} / {b})", "different ({a} ≠ {b})"),
)
BIRTH = Field(
    "birth_date",
    "birth date",
    (
        "missing",
        "exact",
        "typo",
        "same_year",
        "within_year",
        "different",
        "year_same",
        "year_near",
        "year_different",
    ),
    (
        "not known on both sides",
        "exact",
        "one part off or day and month swapped",
        "same year, different day",
        "within a year",
        "different",
        "same year (only the year known on one side)",
        "a year apart (only the year known on one side)",
        "different year (only the year known on one side)",
    ),
    groups=((1, 2, 3, 4, 5), (6, 7, 8)),
)
ADDRESS = Field(
    "address",
    "address",
    (
        "missing",
        "exact",
        "unit_missing",
        "other_unit",
        "fuzzy",
        "same_zip",
        "different",
        "zip_same",
        "zip_different",
    ),
    (
        "not known on both sides",
        "exact",
        "same building, unit known on one side only",
        "same building, different unit",
        "same ZIP, street spelled a little differently",
        "same ZIP, different street address",
        "different",
        "same ZIP (the street known on one side only)",
        "different ZIP (the street known on one side only)",
    ),
    groups=((1, 2, 3, 4, 5, 6), (7, 8)),
)
PHONE = Field(
    "phone", "phone", ("missing", "equal", "different"), ("not known on both sides", "same", "different")
)
EMAIL = Field(
    "email", "email", ("missing", "equal", "different"), ("not known on both sides", "same", "different")
)

FIELDS: tuple[Field, ...] = (FIRST, MIDDLE, LAST, BIRTH, ADDRESS, PHONE, EMAIL)
FIELD_INDEX = {f.key: i for i, f in enumerate(FIELDS)}

# Level numbers used elsewhere.
F_EXACT, F_SWAPPED, F_NICKNAME, F_JW92, F_MIDDLE, F_INITIAL, F_JW85, F_DIFFERENT = range(1, 9)
L_EXACT, L_SWAPPED, L_JW92, L_SHARED, L_JW85, L_DIFFERENT = range(1, 7)
B_EXACT, B_TYPO, B_SAME_YEAR, B_WITHIN_YEAR, B_DIFFERENT, B_YEAR_SAME, B_YEAR_NEAR, B_YEAR_DIFFERENT = range(
    1, 9
)
A_EXACT, A_UNIT_MISSING, A_OTHER_UNIT, A_FUZZY, A_SAME_ZIP, A_DIFFERENT, A_ZIP_SAME, A_ZIP_DIFFERENT = range(
    1, 9
)
EQUAL, DIFFERENT = 1, 2
# First-name levels that say "this is the same person's name"; the others never link on their own.
IDENTIFYING_FIRST = (F_EXACT, F_SWAPPED, F_NICKNAME, F_JW92, F_MIDDLE)


def _select(default: int, *cases: tuple[np.ndarray, int]) -> np.ndarray:
    """The level of the first true condition, in order (np.select, in uint8)."""
    out = np.full(cases[0][0].shape, default, dtype=np.uint8)
    decided = np.zeros(cases[0][0].shape, dtype=np.bool_)
    for condition, level in cases:
        take = condition & ~decided
        out[take] = level
        decided |= take
    return out


class Comparer:
    """Computes the comparison vectors of pairs of rows of two tables."""

    def __init__(
        self, vocab: Vocabularies, names: NameArrays, right: Table | None = None, jw_workers: int = 1
    ) -> None:
        self.vocab = vocab
        self.known_first = np.ones(len(vocab.names.strings) + 1, dtype=np.bool_)
        if right is not None:
            seen = right.first[right.first >= 0]
            self.known_first[:-1] = np.bincount(seen, minlength=len(vocab.names.strings)) > 0
        self.names = names
        self.name_strings = np.array([*vocab.names.strings, ""], dtype=object)
        self.line_strings = np.array([*vocab.lines.strings, ""], dtype=object)
        self.n_names = len(vocab.names.strings) + 1
        self.n_lines = len(vocab.lines.strings) + 1
        self.jw_workers = jw_workers
        self.houses = np.array([*vocab.line_house, -1], dtype=np.int32)

    def _similarity(self, a: np.ndarray, b: np.ndarray, strings: np.ndarray, n: int) -> np.ndarray:
        """Jaro-Winkler of each pair of codes, computed once per distinct pair."""
        if a.size == 0:
            return np.zeros(0, dtype=np.float32)
        keys = a.astype(np.int64) * n + b
        unique, inverse = np.unique(keys, return_inverse=True)
        sa = strings[unique // n].tolist()
        sb = strings[unique % n].tolist()
        scores = process.cpdist(
            sa, sb, scorer=JaroWinkler.similarity, workers=self.jw_workers, dtype=np.float32
        )
        return np.asarray(scores, dtype=np.float32)[inverse]

    def _same_family(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        fa = self.names.families[a]
        fb = self.names.families[b]
        out = np.zeros(a.shape, dtype=np.bool_)
        for i in range(fa.shape[1]):
            col = fa[:, i : i + 1]
            out |= ((col == fb) & (col >= 0)).any(axis=1)
        return out

    def levels(self, left: Table, right: Table, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        """(fields, pairs) uint8 levels of the pairs (left row li[k], right row rj[k])."""
        out = np.empty((len(FIELDS), li.size), dtype=np.uint8)
        fa, fb = left.first[li], right.first[rj]
        la, lb = left.last[li], right.last[rj]
        ma, mb = left.middle[li], right.middle[rj]
        swapped = self._swapped(fa, fb, la, lb)
        out[0] = self._first(fa, fb, ma, mb, swapped)
        out[1] = self._middle(ma, mb)
        out[2] = self._last(la, lb, swapped)
        out[3] = self._birth(left, right, li, rj)
        out[4] = self._address(left, right, li, rj)
        out[5] = _equality(left.phone[li], right.phone[rj])
        out[6] = _equality(left.email[li], right.email[rj])
        return out

    def _swapped(self, fa: np.ndarray, fb: np.ndarray, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
        """First and last names swapped: one crossing exact, the other exact, a nickname or nearly so."""
        cross_first = (fa == lb) & (fa >= 0) & (fa != fb)
        cross_last = (la == fb) & (la >= 0) & (la != lb)
        swapped = cross_first & cross_last
        one = np.flatnonzero(cross_first ^ cross_last)
        if one.size:
            x = np.where(cross_first[one], la[one], fa[one])
            y = np.where(cross_first[one], fb[one], lb[one])
            ok = np.flatnonzero((x >= 0) & (y >= 0))
            close = np.zeros(one.size, dtype=np.bool_)
            if ok.size:
                similar = self._similarity(x[ok], y[ok], self.name_strings, self.n_names) >= 0.9
                close[ok] = similar | self._same_family(x[ok], y[ok])
            swapped[one] = close
        return swapped

    def _first(
        self, fa: np.ndarray, fb: np.ndarray, ma: np.ndarray, mb: np.ndarray, swapped: np.ndarray
    ) -> np.ndarray:
        missing = (fa < 0) | (fb < 0)
        exact = (fa == fb) & ~missing
        rest = ~missing & ~exact & ~swapped
        idx = np.flatnonzero(rest)
        a, b = fa[idx], fb[idx]
        nick = np.zeros(fa.shape, dtype=np.bool_)
        gendered = np.zeros(fa.shape, dtype=np.bool_)
        jw = np.zeros(fa.shape, dtype=np.float32)
        nick[idx] = self._same_family(a, b)
        # Daniel / Daniela: two real names (both borne by right-hand records), not a dropped letter.
        gendered[idx] = (self.names.stem[a] == self.names.stem[b]) & self.known_first[a] & self.known_first[b]
        jw[idx] = self._similarity(a, b, self.name_strings, self.n_names)
        by_middle = ((fa == mb) | (ma == fb)) & rest
        initial = np.zeros(fa.shape, dtype=np.bool_)
        initial[idx] = (self.names.initial[a] | self.names.initial[b]) & (
            self.names.first_letter[a] == self.names.first_letter[b]
        )
        return _select(
            F_DIFFERENT,
            (missing, 0),
            (exact, F_EXACT),
            (swapped, F_SWAPPED),
            (nick, F_NICKNAME),
            (gendered, F_DIFFERENT),
            (jw >= 0.92, F_JW92),
            (by_middle, F_MIDDLE),
            (initial, F_INITIAL),
            (jw >= 0.85, F_JW85),
        )

    def _middle(self, ma: np.ndarray, mb: np.ndarray) -> np.ndarray:
        missing = (ma < 0) | (mb < 0)
        exact = (ma == mb) & ~missing
        a, b = np.maximum(ma, 0), np.maximum(mb, 0)
        initial = (self.names.initial[a] | self.names.initial[b]) & (
            self.names.first_letter[a] == self.names.first_letter[b]
        )
        return _select(3, (missing, 0), (exact, 1), (initial, 2))

    def _last(self, la: np.ndarray, lb: np.ndarray, swapped: np.ndarray) -> np.ndarray:
        missing = (la < 0) | (lb < 0)
        exact = (la == lb) & ~missing
        rest = ~missing & ~exact & ~swapped
        idx = np.flatnonzero(rest)
        jw = np.zeros(la.shape, dtype=np.float32)
        jw[idx] = self._similarity(la[idx], lb[idx], self.name_strings, self.n_names)
        shared = np.zeros(la.shape, dtype=np.bool_)
        multi = idx[self.names.multi_word[la[idx]] | self.names.multi_word[lb[idx]]]
        if multi.size:
            words = self.vocab.names.words
            pairs = np.unique(la[multi].astype(np.int64) * self.n_names + lb[multi])
            hits = {
                int(p)
                for p in pairs.tolist()
                if not words[p // self.n_names].isdisjoint(words[p % self.n_names])
            }
            if hits:
                keys = la[multi].astype(np.int64) * self.n_names + lb[multi]
                shared[multi] = np.isin(keys, np.fromiter(hits, dtype=np.int64, count=len(hits)))
        return _select(
            L_DIFFERENT,
            (missing, 0),
            (exact, L_EXACT),
            (swapped, L_SWAPPED),
            (jw >= 0.92, L_JW92),
            (shared, L_SHARED),
            (jw >= 0.85, L_JW85),
        )

    def _birth(self, left: Table, right: Table, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        ya, yb = left.year[li].astype(np.int32), right.year[rj].astype(np.int32)
        oa, ob = left.birth[li], right.birth[rj]
        ma, mb = left.month[li], right.month[rj]
        da, db = left.day[li], right.day[rj]
        missing = (ya == 0) | (yb == 0)
        full = (oa >= 0) & (ob >= 0)
        same_year = ya == yb
        exact = full & (oa == ob)
        parts = same_year.astype(np.int8) + (ma == mb) + (da == db)
        transposed = full & same_year & (ma == db) & (da == mb)
        typo = full & ((parts == 2) | transposed)
        return _select(
            B_DIFFERENT,
            (missing, 0),
            (exact, B_EXACT),
            (typo, B_TYPO),
            (full & same_year, B_SAME_YEAR),
            (full & (np.abs(oa - ob) <= 366), B_WITHIN_YEAR),
            (~full & same_year, B_YEAR_SAME),
            (~full & (np.abs(ya - yb) <= 1), B_YEAR_NEAR),
            (~full, B_YEAR_DIFFERENT),
        )

    def _address(self, left: Table, right: Table, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        sa, sb = left.line[li], right.line[rj]
        za, zb = left.zip[li], right.zip[rj]
        ua, ub = left.unit[li], right.unit[rj]
        streets = (sa >= 0) & (sb >= 0)
        zips_only = ~streets & (za >= 0) & (zb >= 0)  # a street line missing on one side
        missing = ~streets & ~zips_only
        zip_ok = (za == zb) | (za < 0) | (zb < 0)
        same_line = (sa == sb) & (sa >= 0)
        building = same_line & zip_ok
        exact = building & (ua == ub)
        unit_missing = building & ((ua < 0) != (ub < 0))
        other_unit = building & (ua >= 0) & (ub >= 0)
        # A typo in the street name (same house number, same ZIP), or the same line in another ZIP.
        houses = self.houses
        candidates = np.flatnonzero(
            streets & ~same_line & zip_ok & (houses[sa] == houses[sb]) & (houses[sa] >= 0)
        )
        fuzzy = same_line & ~zip_ok
        if candidates.size:
            jw = self._similarity(sa[candidates], sb[candidates], self.line_strings, self.n_lines)
            fuzzy[candidates] = jw >= 0.9
        same_zip = (za == zb) & (za >= 0)
        return _select(
            A_DIFFERENT,
            (missing, 0),
            (zips_only & same_zip, A_ZIP_SAME),
            (zips_only, A_ZIP_DIFFERENT),
            (exact, A_EXACT),
            (unit_missing, A_UNIT_MISSING),
            (other_unit, A_OTHER_UNIT),
            (fuzzy, A_FUZZY),
            (same_zip, A_SAME_ZIP),
        )


def _equality(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    missing = (a < 0) | (b < 0)
    return _select(DIFFERENT, (missing, 0), (a == b, EQUAL))
