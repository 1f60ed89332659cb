"""What a merge moves: every row that points at the merged-away record goes to the survivor.

The tables are found from the models themselves, as people.rights finds a person's record: every
foreign key, one-to-one field and many-to-many table pointing at Person, so a table an app adds
later moves without being listed here. ``RULES`` only says what is done with some of them.

A plain move is one UPDATE. Where it would break a unique constraint (both records RSVPed to one
event, voted on one proposal, carry one tag) the survivor's row is kept and the other's deleted,
after what it adds is folded into the kept one (the latest RSVP answer, the earliest check-in, a
form's answers the survivor did not give). Dated histories — committee memberships, an
organization's contacts, a coalition's delegates — are joined into one timeline (``_join_spans``).

What stays on the merged-away record (the tombstone), by design:

* its own ``Person.merged_into``, which sends its old links (pages, API ids) to the survivor;
* its login, when the survivor has one too: a login is one person's (``User.person`` is one-to-one),
  the two logins stay two, and the tombstone's page sends its owner to the survivor's;
* its referral code, when the survivor has one too: a person has one code (one-to-one), and the
  links the other record shared keep crediting the person (events.actions.referrer follows merges);
* match reviews between the two records: they ask the question this merge answered, and moved they
  would pair the survivor with themselves (the review queue lists no merged-away record).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from grassroots.people.models import Person
from grassroots.people.rights import person_links

Table = type[models.Model]
Key = models.Field[Any, Any]  # a foreign key, one-to-one field or many-to-many table's column
Rule = Callable[[Table, Key, Person, Person], int]
Period = tuple[datetime.date, datetime.date | None]  # from a day until the day before another (None: open)


def link_name(model: Table, field: Key) -> str:
    """``events.RSVP.person``: how a link is named in the audit log and in ``RULES``."""
    return f"{model._meta.label}.{field.name}"


def move_everything(survivor: Person, other: Person) -> dict[str, int]:
    """Move every row pointing at ``other`` onto ``survivor`` (call inside the merge's transaction);
    returns, per link, how many of ``other``'s rows were moved, folded into the survivor's or joined."""
    moved: dict[str, int] = {}
    for model, field in person_links():
        name = link_name(model, field)
        count = RULES.get(name, move_rows)(model, field, survivor, other)
        if count:
            moved[name] = count
    # Records merged into ``other`` before now lead straight to the survivor.
    earlier = Person.objects.filter(merged_into=other).update(merged_into=survivor)
    if earlier:
        moved["people.Person.merged_into"] = earlier
    return moved


# -- the generic move --------------------------------------------------------------------------


def _unique_sets(model: Table, field: Key) -> list[tuple[list[str], Q | None]]:
    """The unique constraints of ``model`` that hold ``field``: the constraint's other fields, and
    its condition (a partial index: only rows matching it are unique)."""
    sets: list[tuple[list[str], Q | None]] = []
    if field.unique:
        sets.append(([], None))
    sets += [
        ([name for name in together if name != field.name], None)
        for together in model._meta.unique_together
        if field.name in together
    ]
    sets += [
        ([name for name in constraint.fields if name != field.name], constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields
    ]
    return sets


def clashes(model: Table, field: Key, survivor: Person, other: Person) -> dict[Any, Any]:
    """``other``'s rows that could not move without breaking a unique constraint: their key, and the
    key of the survivor's row they would collide with."""
    manager = model._base_manager
    found: dict[Any, Any] = {}
    for names, condition in _unique_sets(model, field):
        mine = manager.filter(**{field.name: survivor})
        theirs = manager.filter(**{field.name: other})
        if condition is not None:
            mine, theirs = mine.filter(condition), theirs.filter(condition)
        taken = {tuple(values): pk for pk, *values in mine.values_list("pk", *names)}
        for pk, *values in theirs.values_list("pk", *names):
            # NULLs are distinct in a unique index: a row with one never collides.
            if None not in values and tuple(values) in taken:
                found.setdefault(pk, taken[tuple(values)])
    return found


def move_rows(
    model: Table,
    field: Key,
    survivor: Person,
    other: Person,
    *,
    leave: Q | None = None,
    keep_clashing: bool = False,
    **changes: Any,
) -> int:
    """Point ``other``'s rows at ``survivor`` (and set ``changes`` on them). A row that would break a
    unique constraint is deleted, the survivor's own kept; with ``keep_clashing`` it stays on the
    tombstone instead. Rows matching ``leave`` are not touched."""
    theirs = model._base_manager.filter(**{field.name: other})
    if leave is not None:
        theirs = theirs.exclude(leave)
    clashing = set(clashes(model, field, survivor, other))
    count = 0
    if clashing and keep_clashing:
        theirs = theirs.exclude(pk__in=clashing)
    elif clashing:
        # The ORM's delete, not a bare DELETE: what points at the row is cleared as its models say.
        count = len(clashing & set(theirs.values_list("pk", flat=True)))
        theirs.filter(pk__in=clashing).delete()
    return count + theirs.update(**{field.name: survivor}, **changes)


def _pairs(model: Table, field: Key, survivor: Person, other: Person) -> Iterator[tuple[Any, Any]]:
    """(the survivor's row, ``other``'s row) for each of ``other``'s rows that collides with one."""
    found = clashes(model, field, survivor, other)
    rows = model._base_manager.in_bulk([*found, *found.values()])
    for theirs, mine in found.items():
        yield rows[mine], rows[theirs]


def _fill(mine: models.Model, theirs: models.Model, names: Sequence[str]) -> list[str]:
    """Copy onto ``mine`` the fields it lacks and ``theirs`` has; returns those copied."""
    filled = []
    for name in names:
        field = mine._meta.get_field(name)
        attname = field.attname if isinstance(field, models.Field) else name
        if getattr(mine, attname) in (None, "") and getattr(theirs, attname) not in (None, ""):
            setattr(mine, attname, getattr(theirs, attname))
            filled.append(name)
    return filled


def _earliest(mine: models.Model, theirs: models.Model, names: Sequence[str]) -> list[str]:
    """Keep on ``mine`` the earlier of the two values of each field (a value beats none)."""
    changed = []
    for name in names:
        a, b = getattr(mine, name), getattr(theirs, name)
        if b is not None and (a is None or b < a):
            setattr(mine, name, b)
            changed.append(name)
    return changed


# -- dated histories ---------------------------------------------------------------------------


@dataclass
class _Span:
    kind: Any
    start: datetime.date
    end: datetime.date | None  # the day it ended (exclusive); None: still running
    row: models.Model
    mine: bool


def _overlap(a: Period, b: Period) -> bool:
    return (a[1] is None or b[0] < a[1]) and (b[1] is None or a[0] < b[1])


def _minus(
    span: Period,
    cuts: Sequence[Period],
) -> list[Period]:
    """The parts of ``span`` outside every one of ``cuts`` (periods from a day until a day before)."""
    pieces = [span]
    for cut in cuts:
        rest: list[Period] = []
        for piece in pieces:
            if not _overlap(piece, cut):
                rest.append(piece)
                continue
            if cut[0] > piece[0]:
                rest.append((piece[0], cut[0]))
            if cut[1] is not None and (piece[1] is None or cut[1] < piece[1]):
                rest.append((cut[1], piece[1]))
        pieces = rest
    return pieces


def _joined(spans: list[_Span]) -> list[list[_Span]]:
    """Spans of one kind grouped where they overlap or follow on from one another."""
    groups: list[list[_Span]] = []
    end: datetime.date | None = None
    for span in sorted(spans, key=lambda s: (s.start, not s.mine)):
        if groups and (end is None or span.start <= end):
            groups[-1].append(span)
            end = None if end is None or span.end is None else max(end, span.end)
        else:
            groups.append([span])
            end = span.end
    return groups


def _join_spans(
    model: Table,
    field: Key,
    survivor: Person,
    other: Person,
    *,
    within: Sequence[str],
    kind: str | None,
    start: str,
    end: str,
) -> int:
    """Fold ``other``'s dated rows into the survivor's timeline, one timeline per ``within`` (a
    committee; an organization): periods of the same ``kind`` (role) that overlap or follow on are
    joined into one row; where the survivor held another kind, the survivor's period stands and the
    other's is cut around it (the actions refuse two overlapping periods of one person in one body,
    so the merge does not make them)."""
    manager = model._base_manager
    theirs_by: dict[tuple[Any, ...], list[models.Model]] = defaultdict(list)
    for row in manager.filter(**{field.name: other}).order_by(start, "pk"):
        theirs_by[tuple(getattr(row, name + "_id") for name in within)].append(row)
    unused: set[Any] = set()
    for key, theirs in theirs_by.items():
        where = {f"{name}_id": value for name, value in zip(within, key, strict=True)}
        mine = list(manager.filter(**{field.name: survivor}, **where).order_by(start, "pk"))
        spans = [
            _Span(getattr(r, kind) if kind else None, getattr(r, start), getattr(r, end), r, True)
            for r in mine
        ]
        for row in theirs:
            row_kind = getattr(row, kind) if kind else None
            cuts = [(s.start, s.end) for s in spans if s.mine and s.kind != row_kind]
            pieces = _minus((getattr(row, start), getattr(row, end)), cuts)
            spans += [_Span(row_kind, piece[0], piece[1], row, False) for piece in pieces]
        unused |= {row.pk for row in theirs}
        for row_kind in dict.fromkeys(s.kind for s in spans):
            for group in _joined([s for s in spans if s.kind == row_kind]):
                if all(s.mine for s in group):
                    continue  # the survivor's own history, untouched
                keeper = next((s.row for s in group if s.mine), None)
                if keeper is None:
                    keeper = next((s.row for s in group if s.row.pk in unused), None)
                    if keeper is not None:
                        unused.discard(keeper.pk)
                    else:  # a second piece of a row cut in two
                        keeper = _copy(group[0].row)
                ends = [s.end for s in group]
                setattr(keeper, start, min(s.start for s in group))
                setattr(keeper, end, None if None in ends else max(e for e in ends if e is not None))
                setattr(keeper, field.name, survivor)
                keeper.save()
                for span in group:
                    if span.mine and span.row.pk != keeper.pk:
                        span.row.delete()
    # Rows wholly inside the survivor's other periods, or folded into a kept row.
    manager.filter(pk__in=unused).delete()
    return sum(len(rows) for rows in theirs_by.values())


def _copy(row: models.Model) -> models.Model:
    """A new row like ``row``, with fresh values for its unique fields (its public id)."""
    copy = type(row)._base_manager.get(pk=row.pk)
    for field in copy._meta.concrete_fields:
        if field.primary_key:
            setattr(copy, field.attname, None)
        elif field.unique:
            setattr(copy, field.attname, field.get_default())
    copy._state.adding = True
    return copy


# -- the rules, table by table ---------------------------------------------------------------


def _stays_on_clash(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """A login or a referral code: moved when the survivor has none, else left on the tombstone
    (see the module's docstring)."""
    return move_rows(model, field, survivor, other, keep_clashing=True)


def _contact_points(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """An email or phone the survivor lacks joins theirs; the survivor's primary stays primary."""
    return move_rows(model, field, survivor, other, is_primary=False)


def _consents(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Per channel, the most recent word from the person wins."""
    for mine, theirs in _pairs(model, field, survivor, other):
        if theirs.recorded_at > mine.recorded_at:
            mine.granted, mine.recorded_at, mine.source = theirs.granted, theirs.recorded_at, theirs.source
            mine.wording = theirs.wording
            mine.save(update_fields=["granted", "recorded_at", "source", "wording"])
    return move_rows(model, field, survivor, other)


def _one_action(mine: Any, theirs: Any) -> None:
    """Both rows logged one act on the timeline (an RSVP, a check-in, a form sent): the kept row's
    Action stays, dated the earlier of the two, and the other's is deleted, so that the act
    counts once on the ladder and the dashboards, not once per record merged."""
    from grassroots.people.models import Action

    if mine.action_id is None or theirs.action_id is None or mine.action_id == theirs.action_id:
        return
    actions = Action.objects.in_bulk([mine.action_id, theirs.action_id])
    kept, dropped = actions.get(mine.action_id), actions.get(theirs.action_id)
    if kept is None or dropped is None:
        return
    if dropped.occurred_at < kept.occurred_at:
        kept.occurred_at = dropped.occurred_at
        kept.save(update_fields=["occurred_at"])
    dropped.delete()


def _rsvps(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Two answers to one event: the survivor's row stays, with the later answer (status and shift)."""
    from grassroots.events.models import Attendance

    for mine, theirs in _pairs(model, field, survivor, other):
        _one_action(mine, theirs)
        changed = _fill(mine, theirs, ["referred_by", "action", "reminded_at", "followed_up_at", "source"])
        if theirs.updated_at > mine.updated_at:
            mine.status, mine.shift_id, mine.updated_at = theirs.status, theirs.shift_id, theirs.updated_at
            changed += ["status", "shift", "updated_at"]
        changed += _earliest(mine, theirs, ["created_at"])
        if changed:
            mine.save(update_fields=changed)
        Attendance.objects.filter(rsvp=theirs).update(rsvp=mine)
    return move_rows(model, field, survivor, other)


def _event_attendance(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Checked in twice: one attendance, from the earlier check-in."""
    for mine, theirs in _pairs(model, field, survivor, other):
        _one_action(mine, theirs)
        changed = _fill(mine, theirs, ["rsvp", "action", "followed_up_at"])
        changed += _earliest(mine, theirs, ["checked_in_at"])
        if changed:
            mine.save(update_fields=changed)
    return move_rows(model, field, survivor, other)


def _submissions(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """One form sent twice: the survivor's answers stand, the other's fill what they left out."""
    for mine, theirs in _pairs(model, field, survivor, other):
        _one_action(mine, theirs)
        mine.answers = {**theirs.answers, **mine.answers}
        changed = ["answers", *_fill(mine, theirs, ["referred_by", "action"])]
        changed += _earliest(mine, theirs, ["created_at"])
        mine.save(update_fields=changed)
    return move_rows(model, field, survivor, other)


def _referrals(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Who brought whom: a record of the person bringing another record of the same person is no
    referral, and counts for no one."""
    model._base_manager.filter(**{field.name: other}, person__in=[survivor, other]).update(
        **{field.name: None}
    )
    moved = move_rows(model, field, survivor, other)
    model._base_manager.filter(**{field.name: survivor}, person=survivor).update(**{field.name: None})
    return moved


def _progress(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """One session followed under both records: attended and completed at the earlier dates."""
    for mine, theirs in _pairs(model, field, survivor, other):
        changed = _earliest(mine, theirs, ["attended_at", "completed_at"]) + _fill(mine, theirs, ["group"])
        if changed:
            mine.save(update_fields=changed)
    return move_rows(model, field, survivor, other)


def _spells(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Both ladder histories move. Of two current stages, the higher stays current (the person met its
    rules as one of their records) and the other ends at the merge; at the same stage, the one held
    longer stays."""
    from grassroots.ladder.models import Spell

    current = {
        spell.person_id: spell
        for spell in Spell.objects.filter(person__in=[survivor, other], left_at__isnull=True).select_related(
            "stage"
        )
    }
    if survivor.pk in current and other.pk in current:
        kept, ended = sorted(
            current.values(), key=lambda s: (-s.stage.position, s.entered_at, s.person_id != survivor.pk)
        )
        ended.left_at = timezone.now()
        ended.left_going = Spell.Going.UP if ended.stage.position < kept.stage.position else ""
        ended.save(update_fields=["left_at", "left_going"])
    return move_rows(model, field, survivor, other)


def _receipts(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Voted twice on one proposal: one person, one vote — the survivor's stands. While the vote is
    open, the other's open ballot goes with its receipt; a closed vote's result was counted and kept,
    and a secret ballot is tied to no one, so neither can be taken back."""
    from grassroots.decisions.models import Ballot, Proposal

    for _mine, theirs in _pairs(model, field, survivor, other):
        if theirs.ballot_id is not None and theirs.proposal.status != Proposal.Status.CLOSED:
            Ballot.objects.filter(pk=theirs.ballot_id).delete()
    return move_rows(model, field, survivor, other)


def _reviews(model: Table, field: Key, survivor: Person, other: Person) -> int:
    """Match reviews move, but those between the two records stay (see the module's docstring); a
    review of the same pair of people as one of the survivor's is dropped for the survivor's."""
    between = Q(person=survivor, other_person=other) | Q(person=other, other_person=survivor)
    counterpart = "other_person" if field.name == "person" else "person"
    reviewed = set(
        model._base_manager.filter(person=survivor, other_person__isnull=False).values_list(
            "other_person", flat=True
        )
    ) | set(model._base_manager.filter(other_person=survivor).values_list("person", flat=True))
    again = model._base_manager.filter(**{field.name: other, f"{counterpart}__in": reviewed}).exclude(between)
    dropped = again.count()
    again.delete()
    return dropped + move_rows(model, field, survivor, other, leave=between)


def _spans(*, within: Sequence[str], kind: str | None, start: str, end: str) -> Rule:
    def rule(model: Table, field: Key, survivor: Person, other: Person) -> int:
        return _join_spans(model, field, survivor, other, within=within, kind=kind, start=start, end=end)

    return rule


# By link (``link_name``); every other link is moved by ``move_rows``.
RULES: dict[str, Rule] = {
    "accounts.User.person": _stays_on_clash,
    "events.ReferralCode.person": _stays_on_clash,
    "people.EmailAddress.person": _contact_points,
    "people.PhoneNumber.person": _contact_points,
    "people.Consent.person": _consents,
    "events.RSVP.person": _rsvps,
    "events.RSVP.referred_by": _referrals,
    "events.Attendance.person": _event_attendance,
    "events.Submission.person": _submissions,
    "events.Submission.referred_by": _referrals,
    "ladder.Progress.person": _progress,
    "ladder.Spell.person": _spells,
    "decisions.VoterReceipt.person": _receipts,
    "voters.MatchReview.person": _reviews,
    "voters.MatchReview.other_person": _reviews,
    "committees.Membership.person": _spans(
        within=["committee"], kind="role", start="joined_on", end="left_on"
    ),
    "coalitions.Contact.person": _spans(within=["organization"], kind="role", start="since", end="until"),
    "coalitions.Delegate.person": _spans(
        within=["coalition", "organization"], kind=None, start="starts_on", end="ends_on"
    ),
}
