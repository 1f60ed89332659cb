"""The demo city's coalition: four organizations, their delegates, and an endorsement decided by vote.

``create_demo_coalitions(city)`` founds the Eastbrook Housing Justice Coalition of a tenants'
union, a workers' center, a congregation and a mutual-aid network. Each has two contacts among
the city's residents, one of them its delegate since the coalition's founding; the demo member
is the tenants' union's second delegate, so that login sees the coalition. The coalition sent a
candidate for city council its questionnaire, recorded her answers, and its delegates voted to
endorse her (one against) by the two-thirds the coalition asks; the endorsement is published. A
second questionnaire, to a ballot measure's campaign, waits for its answers. The tenants' union
opposes the demo landlord and co-sponsors the struggles against it.

Everything is written through coalitions.actions and decisions.actions by the demo organizer,
who records the delegates' show of hands; the same city gives the same coalition.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.coalitions import actions
from grassroots.coalitions.models import Coalition, Delegate, Endorsement
from grassroots.decisions.actions import do_cast_vote, do_close_proposal
from grassroots.people.models import Person
from grassroots.places.models import Area
from grassroots.struggles.actions import do_create_organization
from grassroots.struggles.models import Organization, Struggle

FOUNDED_DAYS_AGO = 90
ORGANIZATIONS = (
    ("tenants", "Eastbrook Tenants' Union"),
    ("community", "Riverside Workers' Center"),
    ("faith", "St. Brendan's Congregation"),
    ("community", "Harbor Street Mutual Aid"),
)
QUESTIONS = (
    "Will you vote for universal rent control, covering every apartment?",
    "Will you fund a right to counsel for every tenant facing eviction?",
    "Will you refuse donations from landlords and their lobby?",
)
ANSWERS = (
    "Yes. Every apartment, with no exemption for new buildings.",
    "Yes, in my first budget, and I will fight to keep it funded.",
    "Yes. I have taken none and I will take none.",
)


@dataclass
class DemoCoalition:
    coalition: Coalition
    organizations: list[Organization]
    endorsement: Endorsement

    def summary(self) -> str:
        counts = self.endorsement.proposal.result.get("counts", {}) if self.endorsement.proposal else {}
        return (
            f"{self.coalition.name}: {len(self.organizations)} organizations; endorsed "
            f"{self.endorsement.candidate} ({counts.get('yes', 0)} for, {counts.get('no', 0)} against)."
        )


def _residents(city: Area, count: int, rng: random.Random, exclude: set[int]) -> list[Person]:
    pool = list(
        Person.objects.filter(area__path__startswith=city.path, merged_into__isnull=True)
        .exclude(pk__in=exclude)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    chosen = rng.sample(pool, min(count, len(pool)))
    found = Person.objects.in_bulk(chosen)
    return [found[pk] for pk in chosen]


@transaction.atomic
def create_demo_coalitions(city: Area, *, seed: int = 1) -> DemoCoalition | None:
    """The coalition, or None when the demo logins are missing."""
    organizer = User.objects.filter(username="organizer").first()
    member = User.objects.filter(username="member").select_related("person").first()
    if organizer is None:
        return None
    rng = random.Random(seed)
    founded = timezone.localdate() - datetime.timedelta(days=FOUNDED_DAYS_AGO)
    coalition = actions.do_create_coalition(
        organizer,
        "Eastbrook Housing Justice Coalition",
        purpose="Tenants, workers and neighbors of Eastbrook for rent control and repairs.",
        founded_on=founded,
    )
    member_person = member.person if member is not None else None
    taken = {member_person.pk} if member_person else set()
    people = _residents(city, 2 * len(ORGANIZATIONS), rng, taken)
    organizations = []
    for i, (kind, name) in enumerate(ORGANIZATIONS):
        org = do_create_organization(organizer, kind=kind, name=name)
        actions.do_add_member_organization(organizer, coalition, org, joined_on=founded)
        delegate, other = people[2 * i], people[2 * i + 1]
        actions.do_add_contact(organizer, org, delegate, role="officer", title="Chair", since=founded)
        actions.do_add_contact(organizer, org, other, since=founded)
        actions.do_add_delegate(organizer, coalition, org, delegate, starts_on=founded)
        organizations.append(org)
    union = organizations[0]
    if member_person is not None:
        actions.do_add_contact(organizer, union, member_person, since=founded)
        actions.do_add_delegate(organizer, coalition, union, member_person, starts_on=founded)
    actions.do_relate(organizer, organizations[1], "ally", union, since=founded)
    landlord = Organization.objects.filter(kind=Organization.Kind.LANDLORD, parent__isnull=True).first()
    if landlord is not None:
        actions.do_relate(organizer, union, "opposes", landlord, since=founded)
    for struggle in Struggle.objects.filter(archived_at__isnull=True).exclude(target__in=organizations)[:2]:
        actions.do_cosponsor(organizer, union, struggle=struggle)

    endorsement = actions.do_create_endorsement(
        organizer,
        coalition,
        candidate="Marisol Ortega",
        office="City Council, District 7",
        questions=QUESTIONS,
    )
    actions.do_send_questionnaire(organizer, endorsement, sent_on=founded + datetime.timedelta(days=30))
    questions = list(endorsement.questions.all())
    actions.do_record_answers(
        organizer, endorsement, {q.pk: a for q, a in zip(questions, ANSWERS, strict=True)}
    )
    actions.do_open_endorsement_vote(organizer, endorsement)
    assert endorsement.proposal is not None
    voters = list(
        Delegate.objects.filter(coalition=coalition).select_related("person").order_by("starts_on", "id")
    )
    for i, seat in enumerate(voters):
        choice = "no" if i == 2 else "yes"
        do_cast_vote(organizer, endorsement.proposal, person=seat.person, choice=choice)
    do_close_proposal(organizer, endorsement.proposal)
    actions.do_settle_endorsement(organizer, endorsement)
    actions.do_publish_endorsement(
        organizer,
        endorsement,
        "Marisol Ortega has organized with tenants in Eastbrook for a decade. She will vote for rent "
        "control and a right to counsel, and takes no landlord money.",
    )
    pending = actions.do_create_endorsement(
        organizer,
        coalition,
        kind=Endorsement.Kind.CAMPAIGN,
        candidate="Yes on Proposition 4",
        office="Public housing repair bond",
        questions=["Who funds the campaign?", "How will tenants oversee the repairs?"],
    )
    actions.do_send_questionnaire(organizer, pending)
    return DemoCoalition(coalition, organizations, endorsement)
