"""match() and dedupe(): blocking, training, scoring, the best candidate and the decision."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from grassroots.voters.matching.blocking import DEFAULT_RULES, Blocker, KeyContext, name_key_matrix
from grassroots.voters.matching.compare import (
    B_DIFFERENT,
    B_YEAR_DIFFERENT,
    FIELD_INDEX,
    FIELDS,
    IDENTIFYING_FIRST,
    Comparer,
)
from grassroots.voters.matching.model import (
    MatchModel,
    Scorer,
    estimate_m,
    estimate_match_rate,
    estimate_u,
    split_building_u,
    term_frequencies,
)
from grassroots.voters.matching.records import MatchRecord, Table, Vocabularies, encode

Decision = Literal["link", "review", "no"]
_I_FIRST, _I_BIRTH = FIELD_INDEX["first_name"], FIELD_INDEX["birth_date"]
_DEPENDENT_LABELS = ("first name", "last name", "address", "phone")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class MatchConfig:
    """How the matcher works; the defaults suit 10^2 to 10^7 records on a small machine."""

    rules: tuple[str, ...] = DEFAULT_RULES  # blocking rules, names from blocking.RULES
    max_block_size: int = 2_000  # a key shared by more right records than this is skipped
    chunk_pairs: int = 1_000_000  # candidate pairs scored at once (about 100 bytes each)
    em_sample: int = 20_000  # left records whose candidate pairs train m
    em_iterations: int = 100
    u_sample_pairs: int = 1_000_000  # random pairs of right records for the fuzzy levels' u
    ambiguity_margin: float = 5.0  # bits: a runner-up this close to the best sends the pair to review
    min_population: int = 10_000  # the prior never assumes fewer people than this
    seed: int = 0
    jw_workers: int = 1  # threads for string similarity


@dataclass
class MatchResult:
    left_id: str
    right_id: str
    weight: float  # match weight of the pair: log2 odds, the prior plus the evidence of every field
    probability: float  # that left is right; for match(), counting the left record's other candidates
    decision: Decision
    explanation: list[str]


@dataclass
class MatchStats:
    left: int = 0
    right: int = 0
    comparisons: int = 0  # candidate pairs scored, after blocking (the training sample not counted)
    pairs_by_rule: dict[str, int] = field(default_factory=dict)  # before the union removes repeats
    training_pairs: int = 0
    prior_weight: float = 0.0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    model: MatchModel | None = None


class _Clock:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


def _probability(weight: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp2(-np.clip(np.asarray(weight, dtype=np.float64), -1000, 1000)))


def _logit2(p: float) -> float:
    p = min(max(p, 1e-15), 1 - 1e-15)
    return math.log2(p / (1 - p))


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct comparison vectors (columns of levels), with how many pairs show each."""
    radix = [len(f.levels) for f in FIELDS]
    code = np.zeros(levels.shape[1], dtype=np.int64)
    for index, size in enumerate(radix):
        code = code * size + levels[index]
    unique, counts = np.unique(code, return_counts=True)
    patterns = np.zeros((len(FIELDS), unique.size), dtype=np.uint8)
    rest = unique.copy()
    for index in range(len(FIELDS) - 1, -1, -1):
        patterns[index] = rest % radix[index]
        rest //= radix[index]
    return patterns, counts.astype(np.float64)


def _group_best(
    li: np.ndarray, tie_break: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For pairs grouped by left row: (index of each group's best pair, the sort order, group starts).

    Best by weight, ties by ``tie_break`` (the rank of the right record's id), so that the
    choice never depends on the order records or pairs came in."""
    order = np.lexsort((tie_break, -weights, li))
    li_s = li[order]
    starts = np.flatnonzero(np.r_[True, li_s[1:] != li_s[:-1]]) if li.size else np.zeros(0, dtype=np.int64)
    return order[starts], order, starts


class Matcher:
    """Matches records to a reference set (``match``) or to each other (``dedupe``).

    ``model`` reuses parameters trained on a larger run (``stats.model``); without one the
    matcher trains on the data it is given. ``stats`` describes the last run.
    """

    def __init__(self, config: MatchConfig | None = None, model: MatchModel | None = None) -> None:
        self.config = config or MatchConfig()
        self.model = model
        self.stats = MatchStats()

    # The two entry points -------------------------------------------------------------

    def match(
        self,
        left: Iterable[MatchRecord],
        right: Iterable[MatchRecord],
        *,
        threshold: float = 0.99,
        review_threshold: float = 0.5,
        population: int | None = None,
    ) -> list[MatchResult]:
        """The best right-hand candidate of each left record that has any, with a decision.

        ``population`` is how many people the right-hand records stand for, when they are a
        selection (the candidates of a database query) rather than the whole voter file.
        """
        clock = _Clock()
        lt, rt, vocab = encode(left, right)
        clock.lap("encode")
        run = _Run(self, lt, rt, vocab, population, dedupe=False, clock=clock)
        best = run.best_candidates()
        clock.lap("score")
        results = run.decide_best(best, threshold, review_threshold)
        clock.lap("decide")
        self.stats.timings, self.stats.seconds = clock.laps, clock.total()
        return results

    def dedupe(
        self,
        records: Iterable[MatchRecord],
        *,
        threshold: float = 0.99,
        review_threshold: float = 0.5,
        population: int | None = None,
    ) -> list[MatchResult]:
        """Pairs of records that are likely one person (probability >= review_threshold)."""
        clock = _Clock()
        table, _, vocab = encode(records)
        clock.lap("encode")
        run = _Run(self, table, table, vocab, population, dedupe=True, clock=clock)
        results = run.decide_pairs(threshold, review_threshold)
        clock.lap("score")
        self.stats.timings, self.stats.seconds = clock.laps, clock.total()
        return results


@dataclass
class _Best:
    left: np.ndarray  # left rows that had a candidate
    right: np.ndarray  # their best right row
    weight: np.ndarray
    runner_up: np.ndarray  # right row of the second best, -1 if none
    runner_weight: np.ndarray  # -inf if none
    others: np.ndarray  # log2 of the summed odds of every other candidate (-inf if none)
    candidates: np.ndarray  # how many candidates the left row had
    levels: np.ndarray  # (fields, n) levels of the best pairs

    @staticmethod
    def concatenate(parts: list[_Best]) -> _Best:
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            none = np.zeros(0)
            return _Best(empty, empty, none, empty, none, none, empty, np.zeros((len(FIELDS), 0), np.uint8))
        return _Best(
            left=np.concatenate([p.left for p in parts]),
            right=np.concatenate([p.right for p in parts]),
            weight=np.concatenate([p.weight for p in parts]),
            runner_up=np.concatenate([p.runner_up for p in parts]),
            runner_weight=np.concatenate([p.runner_weight for p in parts]),
            others=np.concatenate([p.others for p in parts]),
            candidates=np.concatenate([p.candidates for p in parts]),
            levels=np.concatenate([p.levels for p in parts], axis=1),
        )


class _Run:
    """One call: the encoded tables, the trained model and the scoring passes."""

    def __init__(
        self,
        matcher: Matcher,
        left: Table,
        right: Table,
        vocab: Vocabularies,
        population: int | None,
        *,
        dedupe: bool,
        clock: _Clock,
    ) -> None:
        config = matcher.config
        self.config, self.left, self.right, self.vocab, self.dedupe = config, left, right, vocab, dedupe
        self.stats = matcher.stats = MatchStats(left=left.size, right=right.size)
        names = vocab.names.arrays()
        self.comparer = Comparer(vocab, names, right, jw_workers=config.jw_workers)
        ctx = KeyContext(names=names, name_keys=name_key_matrix(names), houses=self.comparer.houses)
        self.blocker = Blocker(config.rules, left, right, ctx, max_block_size=config.max_block_size)
        self.rng = np.random.default_rng(config.seed)
        self.people = max(population or right.size, config.min_population)
        self.right_rank = np.empty(right.size, dtype=np.int64)  # of each right record's id, for ties
        self.right_rank[np.argsort(np.array(right.ids, dtype=str), kind="stable")] = np.arange(right.size)
        clock.lap("block")
        self.model = matcher.model or self._train()
        clock.lap("train")
        self.stats.model = self.model
        self.scorer = Scorer(self.model, term_frequencies(right, self.model.u, self.model.joint_u))
        rate = min(self.model.match_rate, 0.999)
        if dedupe:
            self.prior = _logit2(min(rate / self.people, 0.5))
        else:
            # A left record is one of the right records with probability rate (each equally likely
            # before the evidence), or none of them: a pair's prior odds are rate / ((1 - rate) people).
            self.prior = math.log2(rate / ((1 - rate) * self.people))
        self.stats.prior_weight = self.prior

    def _train(self) -> MatchModel:
        """u from the data; m by EM on the best candidates of a sample of left records."""
        config = self.config
        u, joint_u = estimate_u(self.left, self.right, self.comparer, self.rng, config.u_sample_pairs)
        n_left = self.left.size
        if n_left > config.em_sample:
            rows = np.sort(self.rng.choice(n_left, size=config.em_sample, replace=False))
        else:
            rows = np.arange(n_left)
        selected = np.zeros(n_left, dtype=np.bool_)
        selected[rows] = True
        li, rj = self.blocker.pairs_for(selected)
        self.blocker.pairs_by_rule = dict.fromkeys(
            self.blocker.pairs_by_rule, 0
        )  # count the scoring pass only
        step = config.chunk_pairs
        parts = [
            self.comparer.levels(self.left, self.right, li[s : s + step], rj[s : s + step])
            for s in range(0, li.size, step)
        ]
        levels = np.concatenate(parts, axis=1) if parts else np.zeros((len(FIELDS), 0), dtype=np.uint8)
        u = split_building_u(u, levels[FIELD_INDEX["address"]])
        tf = term_frequencies(self.right, u, joint_u)
        model = MatchModel.from_priors()
        model.u, model.joint_u = u, joint_u
        em = None
        for _ in range(2):  # rank with the priors, fit; rank again with what was learned, fit again
            scores = Scorer(model, tf).total(levels, rj)
            best = _group_best(li, self.right_rank[rj], scores)[0]
            patterns, counts = _patterns(levels[:, best])
            em = estimate_m(patterns, counts, iterations=config.em_iterations, start=model.m)
            model.m = em.m
        self.stats.training_pairs = int(li.size)
        evidence = Scorer(model, tf).total(levels, rj)
        model.match_rate = estimate_match_rate(li, evidence, rows.size, self.people, dedupe=self.dedupe)
        model.em_iterations = em.iterations if em else 0
        model.em_pairs = int(li.size)
        return model

    def _scored_chunks(self) -> Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        for start, stop in self.blocker.chunks(self.config.chunk_pairs):
            li, rj = self.blocker.pairs(start, stop)
            if li.size == 0:
                continue
            self.stats.comparisons += int(li.size)
            levels = self.comparer.levels(self.left, self.right, li, rj)
            weights = self.scorer.total(levels, rj) + self.prior
            yield li, rj, levels, weights
        self.stats.pairs_by_rule = dict(self.blocker.pairs_by_rule)

    # match ------------------------------------------------------------------------------

    def best_candidates(self) -> _Best:
        parts: list[_Best] = []
        for li, rj, levels, weights in self._scored_chunks():
            best, order, starts = _group_best(li, self.right_rank[rj], weights)
            li_s, w_s = li[order], weights[order]
            sizes = np.diff(np.r_[starts, li_s.size])
            has_second = sizes > 1
            second = np.where(has_second, order[np.minimum(starts + 1, li_s.size - 1)], 0)
            # The other candidates' odds, relative to the best's, summed per left row.
            relative = np.exp2(np.maximum(w_s - np.repeat(w_s[starts], sizes), -1000.0))
            relative[starts] = 0.0
            summed = np.add.reduceat(relative, starts)
            with np.errstate(divide="ignore"):
                others = w_s[starts] + np.log2(summed)
            parts.append(
                _Best(
                    left=li[best],
                    right=rj[best],
                    weight=weights[best],
                    runner_up=np.where(has_second, rj[second], -1),
                    runner_weight=np.where(has_second, weights[second], -np.inf),
                    others=others,
                    candidates=sizes,
                    levels=levels[:, best],
                )
            )
        return _Best.concatenate(parts)

    def decide_best(self, best: _Best, threshold: float, review_threshold: float) -> list[MatchResult]:
        """Decisions on each left record's best candidate.

        A person is at most one voter, so the probability that the left record is its best
        candidate counts the other candidates against it: odds_best / (1 + sum of all odds).
        It links above ``threshold``; it goes to review when the record is likely to be one
        of its candidates (the sum of all odds) even if not clearly this one.
        """
        link_at, review_at = _logit2(threshold), _logit2(review_threshold)
        best_logit = best.weight - np.logaddexp2(0.0, best.others)
        any_logit = np.logaddexp2(best.weight, best.others)
        probabilities = _probability(best_logit)
        field_weights, corrections, masks = self.scorer.field_weights(best.levels, best.right)
        results = []
        for k in range(best.left.size):
            i, j, weight = int(best.left[k]), int(best.right[k]), float(best.weight[k])
            notes: list[str] = []
            runner = float(best.runner_weight[k])
            ambiguous = runner >= review_at and weight - runner < self.config.ambiguity_margin
            if ambiguous:
                other = self.right.ids[int(best.runner_up[k])]
                notes.append(
                    f"another record ({other}) is almost as likely ({runner:+.1f} against {weight:+.1f}): "
                    "check by hand"
                )
            decision = self._decision(
                best.levels[:, k], float(best_logit[k]), link_at, review_at, notes, ambiguous
            )
            if decision == "no" and float(any_logit[k]) >= review_at:
                decision = "review"
                notes.append("likely one of several records, none clearly: check by hand")
            explanation = self._explain(
                i, j, best.levels[:, k], field_weights[:, k], float(corrections[k]), int(masks[k])
            )
            competition = float(best_logit[k]) - weight
            if competition < -0.05:
                count = int(best.candidates[k]) - 1
                explanation.append(
                    f"other candidates: {count} other record{'s' if count > 1 else ''} could be this person "
                    f"{competition:+.1f}"
                )
            results.append(
                MatchResult(
                    left_id=self.left.ids[i],
                    right_id=self.right.ids[j],
                    weight=round(weight, 3),
                    probability=float(probabilities[k]),
                    decision=decision,
                    explanation=explanation + notes,
                )
            )
        return results

    # dedupe ---------------------------------------------------------------------------

    def decide_pairs(self, threshold: float, review_threshold: float) -> list[MatchResult]:
        link_at, review_at = _logit2(threshold), _logit2(review_threshold)
        kept_i, kept_j, kept_w, kept_levels = [], [], [], []
        for li, rj, levels, weights in self._scored_chunks():
            keep = weights >= review_at
            kept_i.append(li[keep])
            kept_j.append(rj[keep])
            kept_w.append(weights[keep])
            kept_levels.append(levels[:, keep])
        if not kept_i:
            return []
        ii, jj, ww = np.concatenate(kept_i), np.concatenate(kept_j), np.concatenate(kept_w)
        levels = np.concatenate(kept_levels, axis=1)
        order = np.lexsort((jj, ii, -ww))
        ii, jj, ww, levels = ii[order], jj[order], ww[order], levels[:, order]
        field_weights, corrections, masks = self.scorer.field_weights(levels, jj)
        # Without the ambiguity checks a pair would link; the checks need each record's partners.
        plain = [
            self._decision(levels[:, k], float(ww[k]), link_at, review_at, [], False) == "link"
            for k in range(ii.size)
        ]
        partners: dict[int, list[tuple[float, int]]] = {}
        linked = set()
        for k in range(ii.size):
            a, b, w = int(ii[k]), int(jj[k]), float(ww[k])
            partners.setdefault(a, []).append((w, b))
            partners.setdefault(b, []).append((w, a))
            if plain[k]:
                linked.add((a, b))
        results = []
        for k in range(ii.size):
            a, b, w = int(ii[k]), int(jj[k]), float(ww[k])
            notes: list[str] = []
            rival = self._rival(a, b, w, partners, linked) or self._rival(b, a, w, partners, linked)
            if rival is not None:
                notes.append(
                    f"another record ({self.right.ids[rival[1]]}) is almost as likely "
                    f"({rival[0]:+.1f} against {w:+.1f}) and does not match this one: check by hand"
                )
            decision = self._decision(levels[:, k], w, link_at, review_at, notes, rival is not None)
            results.append(
                MatchResult(
                    left_id=self.left.ids[a],
                    right_id=self.right.ids[b],
                    weight=round(w, 3),
                    probability=float(_probability(w)),
                    decision=decision,
                    explanation=self._explain(
                        a, b, levels[:, k], field_weights[:, k], float(corrections[k]), int(masks[k])
                    )
                    + notes,
                )
            )
        return results

    def _rival(
        self,
        a: int,
        b: int,
        weight: float,
        partners: dict[int, list[tuple[float, int]]],
        linked: set[tuple[int, int]],
    ) -> tuple[float, int] | None:
        """A third record nearly as likely to be ``a`` as ``b`` is, and not itself ``b``."""
        for other_weight, other in partners.get(a, []):
            if other == b or weight - other_weight >= self.config.ambiguity_margin:
                continue
            if (min(b, other), max(b, other)) not in linked:
                return other_weight, other
        return None

    # Decisions and explanations -------------------------------------------------------

    def _decision(
        self,
        levels: np.ndarray,
        weight: float,
        link_at: float,
        review_at: float,
        notes: list[str],
        ambiguous: bool,
    ) -> Decision:
        if weight < review_at:
            return "no"
        if weight < link_at:
            return "review"
        if ambiguous:
            return "review"
        if int(levels[_I_FIRST]) not in IDENTIFYING_FIRST:
            notes.append(
                "held for review: the first names do not agree, and a relative at the same address "
                "(a twin, a parent) shares everything else"
            )
            return "review"
        if int(levels[_I_BIRTH]) in (B_DIFFERENT, B_YEAR_DIFFERENT):
            notes.append("held for review: the birth dates differ")
            return "review"
        return "link"

    def _explain(
        self, i: int, j: int, levels: np.ndarray, weights: np.ndarray, correction: float, mask: int
    ) -> list[str]:
        left, right = self.left, self.right
        values = {
            "first_name": (left.spelled_first[i], right.spelled_first[j]),
            "middle_name": (left.spelled_middle[i], right.spelled_middle[j]),
            "last_name": (left.spelled_last[i], right.spelled_last[j]),
        }
        lines = []
        for index, f in enumerate(FIELDS):
            level = int(levels[index])
            text = f.texts[level]
            if f.key in values:
                a, b = (" ".join((name or "").split()) or "?" for name in values[f.key])
                text = text.format(a=a, b=b)
            lines.append(f"{f.label}: {text} {float(weights[index]):+.1f}")
        if correction < -0.05:
            agreeing = [label for bit, label in enumerate(_DEPENDENT_LABELS) if mask >> bit & 1]
            lines.append(
                f"counted together: {_join(agreeing)} often agree for relatives or namesakes, "
                f"so together they count less {correction:+.1f}"
            )
        lines.append(f"before the evidence: any two records are rarely the same person {self.prior:+.1f}")
        return lines


def match(
    left: Iterable[MatchRecord],
    right: Iterable[MatchRecord],
    *,
    threshold: float = 0.99,
    review_threshold: float = 0.5,
    population: int | None = None,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
) -> list[MatchResult]:
    """Match each left record (sign-ups) to its best right record (voter records). See Matcher.match."""
    return Matcher(config, model).match(
        left, right, threshold=threshold, review_threshold=review_threshold, population=population
    )


def dedupe(
    records: Iterable[MatchRecord],
    *,
    threshold: float = 0.99,
    review_threshold: float = 0.5,
    population: int | None = None,
    config: MatchConfig | None = None,
    model: MatchModel | None = None,
) -> list[MatchResult]:
    """Pairs of records that are likely one person. See Matcher.dedupe."""
    return Matcher(config, model).dedupe(
        records, threshold=threshold, review_threshold=review_threshold, population=population
    )
