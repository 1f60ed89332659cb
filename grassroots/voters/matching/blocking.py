"""Blocking: which pairs of records are compared at all.

Comparing every sign-up with every voter is 10^11 pairs for 100,000 x 1,000,000. A
blocking rule gives each record one or more integer keys; two records are compared
when they share a key under at least one rule (the union of the rules). Each rule
catches what the others miss: a nickname breaks the name key but not the phone; a
move breaks the address but not the name and birth year.

A key that more than ``max_block_size`` right-hand records share under one rule
(a placeholder phone number, "JOSE RODRIGUEZ" in a state file) is skipped for that
rule: it would swamp the comparisons and says little; the other rules still apply.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grassroots.voters.matching.records import MAX_FAMILIES, NameArrays, Table

# Room for any code in 31 bits: two codes make one 62-bit key.
_SHIFT = np.int64(1 << 31)
_FAMILY_BASE = 1 << 30


@dataclass(frozen=True)
class KeyContext:
    names: NameArrays
    name_keys: np.ndarray  # (names, 1 + MAX_FAMILIES) int64: metaphone code, then family ids; -1 padded
    houses: np.ndarray  # house-number code of each street-line code, -1 at the end for "none"


KeyFunction = Callable[[Table, KeyContext], tuple[np.ndarray, np.ndarray]]


def name_key_matrix(names: NameArrays) -> np.ndarray:
    """Each name's blocking keys: its metaphone, and every nickname family it belongs to."""
    keys = np.full((names.phonetic.size + 1, 1 + MAX_FAMILIES), -1, dtype=np.int64)
    keys[:-1, 0] = names.phonetic
    fam = names.families.astype(np.int64)
    keys[:-1, 1:] = np.where(fam >= 0, fam + _FAMILY_BASE, -1)
    return keys  # the extra last row answers code -1 (unknown) with no keys


def _pairs_of_keys(a: np.ndarray, b: np.ndarray, *, ordered: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every combination of a row's keys from matrix a with its keys from matrix b."""
    rows_out, keys_out = [], []
    rows = np.arange(a.shape[0], dtype=np.int64)
    for i in range(a.shape[1]):
        for j in range(b.shape[1]):
            x, y = a[:, i], b[:, j]
            ok = (x >= 0) & (y >= 0)
            if not ordered:
                x, y = np.minimum(x, y), np.maximum(x, y)
            rows_out.append(rows[ok])
            keys_out.append(x[ok] * _SHIFT + y[ok])
    return np.concatenate(rows_out), np.concatenate(keys_out)


def names_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    """First and last name, as sounds or nickname families, in either order (catches swapped names)."""
    return _pairs_of_keys(ctx.name_keys[table.first], ctx.name_keys[table.last], ordered=False)


def last_name_birth_year_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    """Sound of the last name and birth year (catches nicknames, typos in first names, moves)."""
    ok = (table.last >= 0) & (table.year > 0)
    rows = np.flatnonzero(ok)
    phon = np.append(ctx.names.phonetic, -1)[table.last[rows]].astype(np.int64)
    return rows, phon * _SHIFT + table.year[rows]


def first_name_birth_date_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    """Sound or family of the first name and the full birth date (catches new last names)."""
    full = np.flatnonzero(table.birth >= 0)
    keys = ctx.name_keys[table.first[full]]
    rows_out, keys_out = [], []
    for i in range(keys.shape[1]):
        ok = keys[:, i] >= 0
        rows_out.append(full[ok])
        keys_out.append(keys[ok, i] * _SHIFT + table.birth[full[ok]])
    return np.concatenate(rows_out), np.concatenate(keys_out)


def phone_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(table.phone >= 0)
    return rows, table.phone[rows].astype(np.int64)


def email_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(table.email >= 0)
    return rows, table.email[rows].astype(np.int64)


def house_rule(table: Table, ctx: KeyContext) -> tuple[np.ndarray, np.ndarray]:
    """ZIP, house number and the initial of the first or of the last name: the people of one
    building whatever the spelling of the street, with a nickname or a new last name."""
    house = ctx.houses[table.line]
    known = (house >= 0) & (table.zip >= 0)
    letters = np.append(ctx.names.first_letter, 0).astype(np.int64)
    rows_out, keys_out = [], []
    for tag, names in ((1, table.first), (2, table.last)):
        rows = np.flatnonzero(known & (names >= 0))
        building = (table.zip[rows].astype(np.int64) << 40) | (house[rows].astype(np.int64) << 10)
        rows_out.append(rows)
        keys_out.append(building | (letters[names[rows]] << 2) | tag)
    return np.concatenate(rows_out), np.concatenate(keys_out)


RULES: dict[str, KeyFunction] = {
    "names": names_rule,
    "last_name_birth_year": last_name_birth_year_rule,
    "first_name_birth_date": first_name_birth_date_rule,
    "phone": phone_rule,
    "email": email_rule,
    "house": house_rule,
}
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)


class _RuleIndex:
    """One rule's keys: the left side's by row, the right side's sorted for lookup."""

    def __init__(self, name: str, left: Table, right: Table, ctx: KeyContext, max_block_size: int) -> None:
        self.name = name
        function = RULES[name]
        rows, keys = function(left, ctx)
        order = np.argsort(rows, kind="stable")
        self.left_rows, self.left_keys = rows[order], keys[order]
        right_rows, right_keys = (rows, keys) if left is right else function(right, ctx)
        order = np.argsort(right_keys, kind="stable")
        self.right_keys = right_keys[order]
        self.right_rows = right_rows[order]
        self.max_block_size = max_block_size

    def _counts(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo = np.searchsorted(self.right_keys, keys, side="left")
        hi = np.searchsorted(self.right_keys, keys, side="right")
        count = hi - lo
        count[count > self.max_block_size] = 0
        return lo, count

    def load(self, n_left: int) -> np.ndarray:
        """How many right rows each left row meets under this rule (repeats included)."""
        _, count = self._counts(self.left_keys)
        return np.bincount(self.left_rows, weights=count, minlength=n_left)

    def join(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """The (left row, right row) pairs sharing a key, for left rows start <= row < stop."""
        a = np.searchsorted(self.left_rows, start, side="left")
        b = np.searchsorted(self.left_rows, stop, side="left")
        return self._join(self.left_rows[a:b], self.left_keys[a:b])

    def join_rows(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs for the left rows marked True in ``selected``."""
        take = selected[self.left_rows]
        return self._join(self.left_rows[take], self.left_keys[take])

    def _join(self, rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo, count = self._counts(keys)
        total = int(count.sum())
        li = np.repeat(rows, count)
        offsets = np.repeat(lo - (np.cumsum(count) - count), count)
        rj = self.right_rows[np.arange(total, dtype=np.int64) + offsets]
        return li, rj


class Blocker:
    """The union of the blocking rules over two tables (or one table against itself)."""

    def __init__(
        self,
        rules: tuple[str, ...],
        left: Table,
        right: Table,
        ctx: KeyContext,
        *,
        max_block_size: int,
    ) -> None:
        unknown = [name for name in rules if name not in RULES]
        if unknown:
            raise ValueError(f"Unknown blocking rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}.")
        self.dedupe = left is right
        self.n_left, self.n_right = left.size, right.size
        self.indexes = [_RuleIndex(name, left, right, ctx, max_block_size) for name in rules]
        self.pairs_by_rule = dict.fromkeys(rules, 0)

    def load(self) -> np.ndarray:
        """An upper bound of the pairs each left row brings (for cutting the work in chunks)."""
        total = np.zeros(self.n_left, dtype=np.float64)
        for index in self.indexes:
            total += index.load(self.n_left)
        return total

    def chunks(self, target_pairs: int) -> list[tuple[int, int]]:
        """Ranges of left rows, each bringing about target_pairs candidate pairs or fewer."""
        if self.n_left == 0:
            return []
        cumulative = np.cumsum(self.load())
        bounds = [0]
        while bounds[-1] < self.n_left:
            start = bounds[-1]
            base = cumulative[start - 1] if start else 0.0
            stop = int(np.searchsorted(cumulative, base + target_pairs, side="right"))
            bounds.append(min(self.n_left, max(stop, start + 1)))
        return list(itertools.pairwise(bounds))

    def pairs(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Distinct candidate pairs for left rows start..stop-1, sorted by left row then right row."""
        return self._union([index.join(start, stop) for index in self.indexes])

    def pairs_for(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._union([index.join_rows(selected) for index in self.indexes])

    def _union(self, parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        n = np.int64(max(self.n_right, 1))
        keys = []
        for index, (li, rj) in zip(self.indexes, parts, strict=True):
            if self.dedupe:
                keep = rj > li  # each pair once, and never a record with itself
                li, rj = li[keep], rj[keep]
            self.pairs_by_rule[index.name] += int(li.size)
            keys.append(li.astype(np.int64) * n + rj)
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        unique = np.unique(np.concatenate(keys))
        return unique // n, unique % n
