"""People who arrive through an RSVP, a form, a petition or the kiosk: found if we know them, else added.

The order matters, because a wrong match mails a stranger and a missed one splits a person in two:

1. The email address typed is one we hold: that person (an address is personal enough to be sure).
2. The phone number typed is one we hold, and the first name agrees: that person. Households share
   a landline, so a phone alone is not enough.
3. Otherwise a new person is created and handed to voters.contacts, which links them to their voter
   record (merging them into the person the voter file made) or, in the grey zone, queues a review
   for an organizer, and which folds them into an existing person the matcher is sure of.

The newcomer is created with no actor: a person signing themselves up is limited by no user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from grassroots.lib.addresses import Address
from grassroots.people.actions import PersonData, do_create_person, do_record_consents
from grassroots.people.models import EmailAddress, Person, PhoneNumber
from grassroots.places.models import Area
from grassroots.voters.contacts import find_duplicate_people, match_contact


@dataclass
class Arrival:
    """What a person typed about themselves (validated and normalized by the form)."""

    first_name: str
    last_name: str = ""
    email: str = ""  # lower case
    phone: str = ""  # E.164
    address: Address | None = None
    consents: dict[str, bool] = field(default_factory=dict)
    consent_wording: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _survivor(person: Person) -> Person:
    """The person a merged-away record now lives on as."""
    seen: set[int] = set()
    while person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def _same_first_name(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def known_person(arrival: Arrival) -> Person | None:
    """The person we already hold for this arrival by email, or by phone and first name."""
    if arrival.email:
        found = (
            EmailAddress.objects.filter(address__iexact=arrival.email)
            .select_related("person")
            .order_by("person__merged_into", "person__created_at", "person_id")
            .first()
        )
        if found is not None:
            return _survivor(found.person)
    if arrival.phone:
        for number in PhoneNumber.objects.filter(number=arrival.phone).select_related("person"):
            if _same_first_name(number.person.first_name, arrival.first_name):
                return _survivor(number.person)
    return None


def filing_area(area: Area | None) -> Area:
    """Where a newcomer without a known address is filed: the event's area, else the top of the tree."""
    if area is not None:
        return area
    top = Area.objects.filter(parent__isnull=True).order_by("depth", "id").first()
    if top is None:
        raise ValidationError(_("grassroots has no areas yet, so no one can sign up."))
    return top


def _possible_duplicates(person: Person) -> list[Person]:
    """The people a newcomer could be a second record of: same name, or same household."""
    query = Q(first_name__iexact=person.first_name, last_name__iexact=person.last_name)
    if person.household_id is not None:
        query |= Q(household_id=person.household_id)
    return list(
        Person.objects.filter(query, merged_into__isnull=True)
        .select_related("household")
        .prefetch_related("emails", "phones")[:200]
    )


def person_for_arrival(arrival: Arrival, *, area: Area | None, source: str) -> tuple[Person, bool]:
    """The person this arrival is, and whether they are new to us.

    A person we know gains only the consents they granted here (an unticked box is no answer,
    never a withdrawal made by whoever typed their address); their name and contacts stay as they were.
    """
    granted = {channel: True for channel, yes in arrival.consents.items() if yes}
    person = known_person(arrival)
    if person is not None:
        if granted:
            do_record_consents(None, person, granted, source=source, wording=arrival.consent_wording)
        return person, False
    data = PersonData(
        first_name=arrival.first_name,
        last_name=arrival.last_name,
        emails=[arrival.email] if arrival.email else [],
        phones=[arrival.phone] if arrival.phone else [],
        address=arrival.address,
        area=filing_area(area),
        consents=granted,
        consent_wording=arrival.consent_wording,
    )
    created = do_create_person(None, data, source=source)
    match_contact(created)
    person = _survivor(Person.objects.get(pk=created.pk))
    if person.last_name:
        pool = _possible_duplicates(person)
        if len(pool) > 1:
            find_duplicate_people(pool)
            person = _survivor(Person.objects.get(pk=person.pk))
    return person, person.pk == created.pk
