"""How many people each rule and stage matches, with warnings — shown before a change is saved.

A ladder can go wrong quietly: a rule nobody meets (a misspelt action kind), rules of one stage
that together exclude everyone, a stage everyone who meets it also outgrows, or a higher stage
met by more people than the one below it. ``check_ladder`` counts all of it among the people the
user may see, with the unsaved change in place, so the editor shows it before saving.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts import access
from grassroots.ladder.engine import ladder, ranked
from grassroots.ladder.models import Rule, Stage
from grassroots.ladder.rules import people_meeting, stage_condition

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


@dataclass
class RuleCount:
    rule: Rule
    matched: int
    changed: bool = False  # the unsaved rule being previewed

    @property
    def warning(self) -> str:
        return _("Matches no one.") if self.matched == 0 else ""


@dataclass
class StageCheck:
    stage: Stage
    rules: list[RuleCount]
    matched: int  # meet the stage's rules
    reached: int  # and no higher stage's: stand here
    warnings: list[str] = field(default_factory=list)


Ladder = list[tuple[Stage, list[Rule]]]


def with_change(stage: Stage | None = None, rule: Rule | None = None) -> Ladder:
    """The saved ladder with an unsaved stage or rule in place (replacing the saved one of its id)."""
    stages = ladder()
    if stage is not None:
        rules = next((r for s, r in stages if s.pk == stage.pk), []) if stage.pk else []
        stages = [(s, r) for s, r in stages if s.pk != stage.pk or stage.pk is None]
        if stage.active:
            stages.append((stage, rules))
        stages.sort(key=lambda pair: pair[0].position)
    if rule is not None:
        stages = [
            (
                s,
                [*(r for r in rules if r.pk != rule.pk or rule.pk is None), rule]
                if s.pk == rule.stage_id
                else rules,
            )
            for s, rules in stages
        ]
    return stages


def check_ladder(
    user: AnyUser,
    stages: Ladder | None = None,
    now: datetime.datetime | None = None,
    changed: Rule | None = None,
) -> list[StageCheck]:
    """Counts and warnings for each stage of ``stages`` (the saved ladder by default), lowest first."""
    now = now or timezone.now()
    stages = stages if stages is not None else ladder()
    people: QuerySet = access.people_visible_to(user)
    standing = dict(
        ranked(people, now, stages).values_list("ladder_position").annotate(n=Count("pk")).order_by()
    )
    checks = []
    for stage, rules in stages:
        counts = [
            RuleCount(rule, people.filter(pk__in=people_meeting(rule, now)).count(), changed=rule is changed)
            for rule in rules
        ]
        condition = stage_condition(stage, rules, now)
        matched = people.filter(condition).count() if condition is not None else 0
        check = StageCheck(stage, counts, matched, standing.get(stage.position, 0))
        if not rules:
            check.warnings.append(_("It has no rules: no one can reach it."))
        elif matched == 0 and all(c.matched for c in counts):
            check.warnings.append(
                _("Its rules each match someone but together match no one: they contradict.")
            )
        elif matched == 0:
            check.warnings.append(_("No one meets it."))
        elif check.reached == 0:
            check.warnings.append(_("Everyone who meets it also meets a higher stage: no one stands here."))
        checks.append(check)
    for lower, higher in itertools.pairwise(checks):
        if higher.matched > lower.matched and lower.matched > 0:
            higher.warnings.append(
                _("More meet it (%(high)s) than meet %(lower)s below it (%(low)s): rules upside down?")
                % {"high": higher.matched, "lower": lower.stage.name, "low": lower.matched}
            )
    return checks
