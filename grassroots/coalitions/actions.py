"""Every write of coalitions: contacts and relationships of organizations, coalitions, their member
organizations and delegates, co-sponsorships, and the endorsement workflow.

Each function runs in one transaction, writes its audit entry and refuses what it must with a
ValidationError whose message can be shown as it is. The endorsement vote is a proposal of the
coalition (decisions.actions), so its delegates vote on it like any member votes on a proposal.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.coalitions.access import can_run
from grassroots.coalitions.models import (
    Coalition,
    CoalitionMember,
    Contact,
    Cosponsorship,
    Delegate,
    Endorsement,
    Question,
    Relationship,
    delegates_on,
    spans,
)
from grassroots.events.models import Event
from grassroots.people.models import Person
from grassroots.struggles.models import Organization, Struggle

Verb = AuditEntry.Verb
Status = Endorsement.Status


def _check_runs(actor: User, coalition: Coalition | None = None) -> None:
    if not can_run(actor, coalition):
        raise ValidationError(_("Only organizers and administrators run coalitions."))


def _check_person(actor: User, person: Person) -> None:
    if not access.people_visible_to(actor).filter(pk=person.pk).exists():
        # Said the same way whether the person exists or not: nothing leaks.
        raise ValidationError(_("That person is outside the areas you work in."))


def _check_dates(start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end <= start:
        raise ValidationError(_("The end date must come after the start date."))


# --- organizations: contacts, relationships -----------------------------------------------------


@transaction.atomic
def do_add_contact(
    actor: User,
    organization: Organization,
    person: Person,
    *,
    role: str = Contact.Role.MEMBER,
    title: str = "",
    since: datetime.date | None = None,
) -> Contact:
    """Record that a person belongs to or works for an organization, from ``since`` (today)."""
    _check_runs(actor)
    _check_person(actor, person)
    since = since or timezone.localdate()
    if Contact.objects.filter(
        spans(since, "since", "until"), organization=organization, person=person
    ).exists():
        raise ValidationError(_("%s is already a contact of %s.") % (person.full_name, organization.name))
    contact = Contact.objects.create(
        organization=organization,
        person=person,
        role=role,
        title=title.strip()[:100],
        since=since,
        created_by=actor,
    )
    record_audit(actor, Verb.CREATE, "contact", contact.public_id, organization=organization.name)
    return contact


@transaction.atomic
def do_end_contact(actor: User, contact: Contact, until: datetime.date | None = None) -> Contact:
    _check_runs(actor)
    until = until or timezone.localdate()
    _check_dates(contact.since, until)
    contact.until = until
    contact.save(update_fields=["until"])
    record_audit(actor, Verb.UPDATE, "contact", contact.public_id, until=until.isoformat())
    return contact


@transaction.atomic
def do_relate(
    actor: User,
    organization: Organization,
    kind: str,
    other: Organization,
    *,
    since: datetime.date | None = None,
    notes: str = "",
) -> Relationship:
    """Record that ``organization`` <kind> ``other``: is an ally of, a member of, funds, opposes."""
    _check_runs(actor)
    if organization.pk == other.pk:
        raise ValidationError(_("An organization cannot stand in a relationship to itself."))
    if kind not in Relationship.Kind.values:
        raise ValidationError(_("Unknown relationship “%s”.") % kind)
    current = Relationship.objects.filter(
        spans(None, "since", "until"), organization=organization, other=other
    )
    if current.filter(kind=kind).exists():
        raise ValidationError(_("That relationship is already recorded."))
    relationship = Relationship.objects.create(
        organization=organization,
        other=other,
        kind=kind,
        since=since or timezone.localdate(),
        notes=notes[:300],
    )
    record_audit(
        actor, Verb.UPDATE, "organization", organization.public_id, relationship=kind, other=other.name
    )
    return relationship


# --- coalitions ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_coalition(
    actor: User, name: str, *, purpose: str = "", founded_on: datetime.date | None = None
) -> Coalition:
    _check_runs(actor)
    if not name.strip():
        raise ValidationError(_("Give the coalition a name."))
    coalition = Coalition.objects.create(
        name=name.strip()[:200],
        purpose=purpose.strip(),
        founded_on=founded_on or timezone.localdate(),
        created_by=actor,
    )
    record_audit(actor, Verb.CREATE, "coalition", coalition.public_id, name=coalition.name)
    return coalition


@transaction.atomic
def do_add_member_organization(
    actor: User, coalition: Coalition, organization: Organization, *, joined_on: datetime.date | None = None
) -> CoalitionMember:
    _check_runs(actor, coalition)
    joined_on = joined_on or timezone.localdate()
    if organization.kind in Organization.TARGET_KINDS:
        raise ValidationError(
            _("%s is recorded as a target (%s), not a partner.")
            % (organization.name, organization.get_kind_display())
        )
    members = CoalitionMember.objects.filter(coalition=coalition, organization=organization)
    if members.filter(spans(joined_on, "joined_on", "left_on")).exists():
        raise ValidationError(_("%s is already a member of %s.") % (organization.name, coalition.name))
    member = CoalitionMember.objects.create(
        coalition=coalition, organization=organization, joined_on=joined_on
    )
    record_audit(actor, Verb.UPDATE, "coalition", coalition.public_id, joined=organization.name)
    return member


@transaction.atomic
def do_end_member_organization(
    actor: User, member: CoalitionMember, left_on: datetime.date | None = None
) -> CoalitionMember:
    """The organization leaves; its delegations end the same day."""
    _check_runs(actor, member.coalition)
    left_on = left_on or timezone.localdate()
    _check_dates(member.joined_on, left_on)
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    Delegate.objects.filter(
        delegates_on(left_on), coalition=member.coalition, organization=member.organization
    ).update(ends_on=left_on)
    record_audit(actor, Verb.UPDATE, "coalition", member.coalition.public_id, left=member.organization.name)
    return member


@transaction.atomic
def do_add_delegate(
    actor: User,
    coalition: Coalition,
    organization: Organization,
    person: Person,
    *,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Delegate:
    """``person`` speaks for ``organization`` in ``coalition`` from ``starts_on`` until the day before
    ``ends_on``. Refused unless the organization is a member and the person one of its contacts
    on ``starts_on``, and unless the span is free of another delegation of the same person."""
    _check_runs(actor, coalition)
    _check_person(actor, person)
    starts_on = starts_on or timezone.localdate()
    _check_dates(starts_on, ends_on)
    member = CoalitionMember.objects.filter(
        spans(starts_on, "joined_on", "left_on"), coalition=coalition, organization=organization
    ).first()
    if member is None:
        raise ValidationError(
            _("%(org)s is not a member of %(coalition)s on %(day)s, so it has no delegates there.")
            % {"org": organization.name, "coalition": coalition.name, "day": starts_on.isoformat()}
        )
    is_contact = Contact.objects.filter(
        spans(starts_on, "since", "until"), organization=organization, person=person
    ).exists()
    if not is_contact:
        raise ValidationError(
            _("%(person)s is not a contact of %(org)s on %(day)s: only its own people can be its delegates.")
            % {"person": person.full_name, "org": organization.name, "day": starts_on.isoformat()}
        )
    overlapping = Delegate.objects.filter(
        coalition=coalition, organization=organization, person=person
    ).filter(
        # Two spans overlap when each starts before the other ends.
        **({"starts_on__lt": ends_on} if ends_on else {})
    )
    overlapping = overlapping.exclude(ends_on__isnull=False, ends_on__lte=starts_on)
    if overlapping.exists():
        raise ValidationError(_("%s is already a delegate on some of those days.") % person.full_name)
    if ends_on is None and member.left_on is not None:
        ends_on = member.left_on
    delegate = Delegate.objects.create(
        coalition=coalition,
        organization=organization,
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    record_audit(
        actor, Verb.CREATE, "delegate", delegate.public_id, coalition=coalition.name, org=organization.name
    )
    return delegate


@transaction.atomic
def do_end_delegate(actor: User, delegate: Delegate, ends_on: datetime.date | None = None) -> Delegate:
    _check_runs(actor, delegate.coalition)
    ends_on = ends_on or timezone.localdate()
    _check_dates(delegate.starts_on, ends_on)
    delegate.ends_on = ends_on
    delegate.save(update_fields=["ends_on"])
    record_audit(actor, Verb.UPDATE, "delegate", delegate.public_id, ends_on=ends_on.isoformat())
    return delegate


# --- co-sponsorship -----------------------------------------------------------------------------


@transaction.atomic
def do_cosponsor(
    actor: User, organization: Organization, *, struggle: Struggle | None = None, event: Event | None = None
) -> Cosponsorship:
    """The organization co-sponsors a struggle or an event. An event's sponsor list (what its public
    page shows) gains the organization's name too."""
    _check_runs(actor)
    if (struggle is None) == (event is None):
        raise ValidationError(_("Choose a struggle or an event to co-sponsor."))
    if struggle is not None and struggle.target_id == organization.pk:
        raise ValidationError(_("%s is the target of that struggle.") % organization.name)
    existing = Cosponsorship.objects.filter(organization=organization, struggle=struggle, event=event)
    if existing.exists():
        raise ValidationError(_("%s already co-sponsors it.") % organization.name)
    cosponsorship = Cosponsorship.objects.create(
        organization=organization, struggle=struggle, event=event, created_by=actor
    )
    if event is not None:
        from grassroots.events.models import Sponsor

        event.sponsors.add(Sponsor.objects.get_or_create(name=organization.name[:200])[0])
    what = f"struggle {struggle.public_id}" if struggle else f"event {event.public_id}"  # type: ignore[union-attr]
    record_audit(actor, Verb.UPDATE, "organization", organization.public_id, cosponsors=what)
    return cosponsorship


# --- endorsements -------------------------------------------------------------------------------


def _check_status(endorsement: Endorsement, *allowed: str) -> None:
    if endorsement.status not in allowed:
        raise ValidationError(
            _("This endorsement is at “%s”: that step is not open now.") % endorsement.get_status_display()
        )


@transaction.atomic
def do_create_endorsement(
    actor: User,
    coalition: Coalition,
    *,
    candidate: str,
    office: str = "",
    kind: str = Endorsement.Kind.CANDIDATE,
    questions: Sequence[str] = (),
) -> Endorsement:
    _check_runs(actor, coalition)
    if not candidate.strip():
        raise ValidationError(_("Name the candidate or the campaign."))
    endorsement = Endorsement.objects.create(
        coalition=coalition,
        candidate=candidate.strip()[:200],
        office=office.strip()[:200],
        kind=kind,
        created_by=actor,
    )
    for text in questions:
        _add_question(endorsement, text)
    record_audit(actor, Verb.CREATE, "endorsement", endorsement.public_id, candidate=endorsement.candidate)
    return endorsement


def _add_question(endorsement: Endorsement, text: str) -> Question | None:
    if not text.strip():
        return None
    position = endorsement.questions.count()
    return Question.objects.create(endorsement=endorsement, position=position, text=text.strip()[:500])


@transaction.atomic
def do_add_question(actor: User, endorsement: Endorsement, text: str) -> Question:
    _check_runs(actor, endorsement.coalition)
    _check_status(endorsement, Status.DRAFT)
    question = _add_question(endorsement, text)
    if question is None:
        raise ValidationError(_("Write the question."))
    record_audit(actor, Verb.UPDATE, "endorsement", endorsement.public_id, question=question.text)
    return question


@transaction.atomic
def do_send_questionnaire(
    actor: User, endorsement: Endorsement, *, sent_on: datetime.date | None = None
) -> Endorsement:
    """The questionnaire is sent: its questions no longer change."""
    _check_runs(actor, endorsement.coalition)
    _check_status(endorsement, Status.DRAFT)
    if not endorsement.questions.exists():
        raise ValidationError(_("Write at least one question before sending the questionnaire."))
    endorsement.status = Status.SENT
    endorsement.sent_on = sent_on or timezone.localdate()
    endorsement.save(update_fields=["status", "sent_on"])
    record_audit(
        actor, Verb.UPDATE, "endorsement", endorsement.public_id, sent=endorsement.sent_on.isoformat()
    )
    return endorsement


@transaction.atomic
def do_record_answers(
    actor: User,
    endorsement: Endorsement,
    answers: Mapping[int, str],
    *,
    answered_on: datetime.date | None = None,
) -> Endorsement:
    """Record the candidate's answers (question id → text). Once every question has an answer the
    endorsement is answered and can go to a vote; answers can be corrected until then."""
    _check_runs(actor, endorsement.coalition)
    _check_status(endorsement, Status.SENT, Status.ANSWERED)
    questions = {q.pk: q for q in endorsement.questions.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError(_("Those answers are for questions this questionnaire does not have."))
    now = timezone.now()
    for pk, text in answers.items():
        question = questions[pk]
        if text.strip() and text.strip() != question.answer:
            question.answer, question.answered_at = text.strip(), now
            question.save(update_fields=["answer", "answered_at"])
    if all(q.answer for q in questions.values()):
        endorsement.status = Status.ANSWERED
        endorsement.answered_on = answered_on or timezone.localdate()
        endorsement.save(update_fields=["status", "answered_on"])
    record_audit(actor, Verb.UPDATE, "endorsement", endorsement.public_id, answers=len(answers))
    return endorsement


VOTE_DAYS = 7  # how long delegates have to vote on an endorsement unless told otherwise


@transaction.atomic
def do_open_endorsement_vote(
    actor: User,
    endorsement: Endorsement,
    *,
    deadline: datetime.datetime | None = None,
    method: str = "",
    quorum: int = 0,
    secret: bool = False,
) -> Endorsement:
    """Put the endorsement to the coalition's delegates: a proposal of the coalition, opened now.

    Decided by a two-thirds supermajority unless ``method`` says otherwise. Refused, with the
    reason, when no delegate could vote or the quorum could never be met (decisions' warnings).
    """
    from grassroots.decisions.actions import ProposalData, do_create_proposal, do_open_proposal
    from grassroots.decisions.models import Proposal

    _check_runs(actor, endorsement.coalition)
    _check_status(endorsement, Status.ANSWERED)
    answers = "\n\n".join(f"{q.text}\n{q.answer}" for q in endorsement.questions.all())
    data = ProposalData(
        title=_("Endorse %s") % endorsement,
        method=method or Proposal.Method.SUPERMAJORITY,
        deadline=deadline or timezone.now() + datetime.timedelta(days=VOTE_DAYS),
        text=_("Shall %(coalition)s endorse %(who)s?\n\nTheir answers to our questionnaire:\n\n%(answers)s")
        % {"coalition": endorsement.coalition.name, "who": endorsement, "answers": answers},
        quorum=quorum,
        secret=secret,
    )
    proposal = do_create_proposal(actor, endorsement.coalition, data)
    do_open_proposal(actor, proposal)
    endorsement.proposal, endorsement.status = proposal, Status.VOTING
    endorsement.save(update_fields=["proposal", "status"])
    record_audit(actor, Verb.UPDATE, "endorsement", endorsement.public_id, proposal=str(proposal.public_id))
    return endorsement


@transaction.atomic
def do_settle_endorsement(actor: User | None, endorsement: Endorsement) -> Endorsement:
    """Read the closed vote: endorsed when the proposal passed, declined otherwise. A vote still open
    past its deadline is closed first; one still running is left alone (refused for a user)."""
    from grassroots.decisions.actions import close_if_due

    if actor is not None:
        _check_runs(actor, endorsement.coalition)
    _check_status(endorsement, Status.VOTING)
    assert endorsement.proposal is not None
    proposal = close_if_due(endorsement.proposal)
    if proposal.is_open or proposal.status != proposal.Status.CLOSED:
        raise ValidationError(_("The delegates are still voting: the result is read once voting closes."))
    endorsement.status = Status.ENDORSED if proposal.result.get("passed") else Status.DECLINED
    endorsement.decided_on = timezone.localdate()
    endorsement.save(update_fields=["status", "decided_on"])
    record_audit(actor, Verb.UPDATE, "endorsement", endorsement.public_id, decided=endorsement.status)
    return endorsement


@transaction.atomic
def do_publish_endorsement(actor: User, endorsement: Endorsement, statement: str = "") -> Endorsement:
    """Publish an endorsement the delegates voted for: its public page goes live."""
    _check_runs(actor, endorsement.coalition)
    if endorsement.status == Status.DECLINED:
        raise ValidationError(_("The delegates did not vote to endorse: there is nothing to publish."))
    _check_status(endorsement, Status.ENDORSED)
    endorsement.status = Status.PUBLISHED
    endorsement.statement = statement.strip() or endorsement.statement
    endorsement.published_at = timezone.now()
    endorsement.save(update_fields=["status", "statement", "published_at"])
    record_audit(actor, Verb.UPDATE, "endorsement", endorsement.public_id, published=True)
    return endorsement
