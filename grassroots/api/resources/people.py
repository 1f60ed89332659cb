"""People as OSDI resources, the person signup helper, and taggings (a tag on a person).

A token reads people through the access gate (``people_visible_to``, ``access_person``) and
writes them through people.actions, exactly as the web app does; every read and write is audited.

POST /people is Action Network's person signup helper: the person is matched to one we hold
(events.arrivals.known_person: the same email, or the same phone and first name) and updated,
else created and handed to voters.contacts, which links them to their voter record or folds them
into a person the matcher is sure of. A match outside the token's areas is a 409: the person
exists, but this token may neither see nor duplicate them.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query
from ninja.errors import HttpError

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry, User
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.schemas import (
    NoticeOut,
    PeopleOut,
    PersonIn,
    PersonOut,
    PersonSignupIn,
    TaggingIn,
    TaggingOut,
    TaggingsOut,
)
from grassroots.api.server import Conflict, audit, entry, require_write, route, user_of
from grassroots.events.arrivals import Arrival, filing_area, known_person
from grassroots.lib.addresses import Address, AddressError, normalize_address
from grassroots.lib.phones import PhoneError, normalize_phone
from grassroots.people import actions as people_actions
from grassroots.people.models import EmailAddress, Person, PhoneNumber, Tag, Tagging
from grassroots.places.models import Area
from grassroots.voters.contacts import match_contact

Verb = AuditEntry.Verb
TAGS = ["people"]


def _emails(lookup: str, value: Any) -> Q:
    return Q(pk__in=EmailAddress.objects.filter(**{f"address__{_text(lookup)}": value}).values("person_id"))


def _phones(lookup: str, value: Any) -> Q:
    try:
        number = normalize_phone(str(value))
    except PhoneError:
        number = str(value)
    return Q(pk__in=PhoneNumber.objects.filter(**{f"number__{lookup}": number}).values("person_id"))


def _text(lookup: str) -> str:
    return "iexact" if lookup == "exact" else lookup


FILTERS = {
    **dates("created_at", "updated_at"),
    "given_name": Field("first_name"),
    "family_name": Field("last_name"),
    "email_address": Field(build=_emails),
    "phone_number": Field(build=_phones),
    "postal_code": Field("household__postal_code"),
}


def _status(consents: dict[str, bool], channel: str) -> str | None:
    granted = consents.get(channel)
    return None if granted is None else ("subscribed" if granted else "unsubscribed")


def person_links(request: HttpRequest, public_id: object) -> dict[str, Any]:
    links: dict[str, Any] = {"self": hal.href(request, "people", public_id)}
    for rel in PERSON_RELS:
        links[f"osdi:{rel}"] = hal.href(request, "people", public_id, rel)
    return links


# The collections under a person (/people/ID/REL); other resource modules add theirs.
PERSON_RELS: list[str] = ["taggings"]


def person_json(request: HttpRequest, person: Person) -> dict[str, Any]:
    consents = {c.channel: c.granted for c in person.consents.all()}
    household = person.household
    addresses = []
    if household is not None:
        addresses.append(
            {
                "primary": True,
                "address_lines": [line for line in (household.address_line, household.unit) if line],
                "locality": household.city.title(),
                "region": household.state,
                "postal_code": household.postal_code,
                "country": "US",
            }
        )
    return {
        **hal.stamp(person.public_id, person.created_at, person.updated_at),
        "given_name": person.first_name,
        "family_name": person.last_name,
        "additional_name": person.middle_name,
        "honorific_suffix": person.suffix,
        "email_addresses": [
            {"address": e.address, "primary": e.is_primary, "status": _status(consents, "email")}
            for e in person.emails.all()
        ],
        "phone_numbers": [
            {
                "number": p.number.lstrip("+"),
                "primary": p.is_primary,
                "number_type": p.get_kind_display(),
                "status": _status(consents, "sms") if p.kind == PhoneNumber.Kind.MOBILE else None,
            }
            for p in person.phones.all()
        ],
        "postal_addresses": addresses,
        "custom_fields": person.custom_fields,
        "browser_url": request.build_absolute_uri(f"/people/{person.public_id}/"),
        "_links": person_links(request, person.public_id),
    }


def _served(queryset: Any) -> Any:
    return queryset.select_related("household").prefetch_related("emails", "phones", "consents")


# Reading what a client sends


def _phone(raw: str | int, field: str) -> str:
    text = str(raw).strip()
    try:
        return normalize_phone(text)
    except PhoneError:
        pass
    # A number of a possible length is kept (clients send numbers not yet in service, and
    # the spec's own examples are such numbers); anything else is refused.
    try:
        number = phonenumbers.parse(
            text if text.startswith("+") else f"+{text}" if len(text) > 10 else text, "US"
        )
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError({field: f"“{text}” is not a phone number."})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _contacts(body: PersonIn) -> tuple[list[str], list[str], dict[str, bool]]:
    emails, phones, consents = [], [], {}
    for i, email in enumerate(body.email_addresses or []):
        address = email.address.strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {f"email_addresses.{i}.address": f"“{address}” is not an email address."}
            ) from None
        emails.append(address)
        if email.status in {"subscribed", "unsubscribed"}:
            consents["email"] = email.status == "subscribed"
    for i, phone in enumerate(body.phone_numbers or []):
        phones.append(_phone(phone.number, f"phone_numbers.{i}.number"))
        if phone.status in {"subscribed", "unsubscribed"}:
            consents["sms"] = phone.status == "subscribed"
    return emails, phones, consents


def _address(body: PersonIn) -> Address | None:
    if not body.postal_addresses:
        return None
    given = next((a for a in body.postal_addresses if a.primary), body.postal_addresses[0])
    if not given.address_lines:
        return None
    lines = [line for line in given.address_lines if line.strip()]
    try:
        return normalize_address(
            lines[0] if lines else "", " ".join(lines[1:]), given.locality, given.region, given.postal_code
        )
    except AddressError as exc:
        raise ValidationError({"postal_addresses.0.address_lines": str(exc)}) from None


def _home_address(person: Person) -> Address | None:
    h = person.household
    if h is None:
        return None
    return Address(h.address_line, h.unit, h.city, h.state, h.postal_code)


def _filing_area(user: User) -> Area:
    """Where a newcomer without a known address goes: the token user's own area, else the top."""
    paths = access.scope_paths(user)
    if paths is access.ALL:
        return filing_area(None)
    area = Area.objects.filter(path__in=paths or []).order_by("depth", "id").first()
    if area is None:
        raise PermissionDenied("Your account sees no area, so it cannot add people.")
    return area


def _data_for(
    person: Person | None,
    body: PersonIn,
    *,
    replace_contacts: bool,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    user: User,
) -> people_actions.PersonData:
    emails, phones, consents = _contacts(body)
    address = _address(body)
    if person is None:
        if not (body.given_name or "").strip() and not emails and not phones:
            raise ValidationError({"given_name": "Give at least a name, an email address or a phone number."})
        return people_actions.PersonData(
            first_name=(body.given_name or "").strip() or (emails[0].split("@")[0] if emails else "?"),
            last_name=(body.family_name or "").strip(),
            middle_name=(body.additional_name or "").strip(),
            suffix=(body.honorific_suffix or "").strip(),
            emails=emails,
            phones=phones,
            address=address,
            area=_filing_area(user),
            tags=list(dict.fromkeys(add_tags or [])),
            consents=consents,
            custom_fields=body.custom_fields or {},
        )
    kept_emails = [e.address for e in person.emails.all()]
    kept_phones = [p.number for p in person.phones.all()]
    if not replace_contacts or body.email_addresses is None:
        emails = list(dict.fromkeys([*emails, *kept_emails])) if emails else kept_emails
    if not replace_contacts or body.phone_numbers is None:
        phones = list(dict.fromkeys([*phones, *kept_phones])) if phones else kept_phones
    tags = [t.name for t in person.tags.all()]
    tags = [t for t in dict.fromkeys([*tags, *(add_tags or [])]) if t not in set(remove_tags or [])]
    return people_actions.PersonData(
        first_name=body.given_name.strip() if body.given_name else person.first_name,
        last_name=body.family_name.strip() if body.family_name is not None else person.last_name,
        middle_name=body.additional_name.strip() if body.additional_name is not None else person.middle_name,
        suffix=body.honorific_suffix.strip() if body.honorific_suffix is not None else person.suffix,
        emails=emails,
        phones=phones,
        address=address or _home_address(person),
        area=person.area,
        tags=tags,
        consents=consents,
        custom_fields={**person.custom_fields, **(body.custom_fields or {})},
    )


def signup(request: HttpRequest, body: PersonIn, add_tags: list[str], remove_tags: list[str]) -> Person:
    """Update the person these details are, or add them; see the module docstring."""
    user = require_write(request)
    emails, phones, _ = _contacts(body)
    arrival = Arrival(
        (body.given_name or "").strip(), email=emails[0] if emails else "", phone=phones[0] if phones else ""
    )
    found = known_person(arrival) if (emails or phones) else None
    if found is not None:
        if not access.people_visible_to(user).filter(pk=found.pk).exists():
            raise Conflict("A person with this email address or phone number exists outside your areas.")
        data = _data_for(
            found, body, replace_contacts=False, add_tags=add_tags, remove_tags=remove_tags, user=user
        )
        return people_actions.do_update_person(user, found, data, source="api")
    data = _data_for(None, body, replace_contacts=False, add_tags=add_tags, user=user)
    created = people_actions.do_create_person(user, data, source="api")
    match_contact(created)
    try:
        return access.access_person(user, created.public_id)
    except Http404:
        return created


# Routes


@route(["GET"], "/people", response=PeopleOut, summary="List people", tags=TAGS)
def list_people(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    user = user_of(request)
    page = page_of(_served(access.people_visible_to(user)).order_by("id"), params, FILTERS)
    audit(
        request,
        Verb.VIEW,
        "person",
        "",
        shown=hal.public_ids(page.items),
        filter=params.filter or params.dollar_filter or "",
    )
    return hal.collection(request, "people", page, lambda p: person_json(request, p), "people")


@route(
    ["POST"], "/people/person_signup_helper", response=PersonOut, summary="Person signup helper", tags=TAGS
)
def person_signup_helper(request: HttpRequest, body: PersonSignupIn) -> dict[str, Any]:
    return create_person(request, body)


def _person(request: HttpRequest, person_id: str, *, write: bool = False) -> Person:
    user = require_write(request) if write else user_of(request)
    person = access.access_person(user, person_id, write=write)
    return _served(Person.objects.filter(pk=person.pk)).get()


@route(["GET"], "/people/{person_id}", response=PersonOut, summary="Read a person", tags=TAGS)
def get_person(request: HttpRequest, person_id: str) -> dict[str, Any]:
    person = _person(request, person_id)
    audit(request, Verb.VIEW, "person", person.public_id)
    return person_json(request, person)


@route(
    ["POST"], "/people", response=PersonOut, summary="Person signup helper: add or update a person", tags=TAGS
)
def create_person(request: HttpRequest, body: PersonSignupIn) -> dict[str, Any]:
    given = body.person or body
    person = signup(request, given, body.add_tags, body.remove_tags)
    return person_json(request, _served(Person.objects.filter(pk=person.pk)).get())


@route(["PUT"], "/people/{person_id}", response=PersonOut, summary="Update a person", tags=TAGS)
def update_person(request: HttpRequest, person_id: str, body: PersonIn) -> dict[str, Any]:
    person = _person(request, person_id, write=True)
    user = user_of(request)
    data = _data_for(person, body, replace_contacts=True, user=user)
    people_actions.do_update_person(user, person, data, source="api")
    return person_json(request, _served(Person.objects.filter(pk=person.pk)).get())


@route(
    ["DELETE"],
    "/people/{person_id}",
    response=NoticeOut,
    summary="Deleting a person is not allowed",
    tags=TAGS,
)
def delete_person(request: HttpRequest, person_id: str) -> dict[str, Any]:
    """OSDI describes deleting a person, but grassroots has no action that erases one (their doors,
    RSVPs and votes are others' history too): until it has, the API refuses, after the access gate."""
    _person(request, person_id)
    raise HttpError(
        405, "People are not deleted through the API: unsubscribe them, or merge them in the web app."
    )


# Taggings: a tag on a person


def tagging_json(request: HttpRequest, tagging: Tagging) -> dict[str, Any]:
    tag_id, person_id = tagging.tag.public_id, tagging.person.public_id
    return {
        **hal.stamp(tagging.public_id, tagging.created_at, tagging.created_at),
        "item_type": "osdi:person",
        "_links": {
            "self": hal.href(request, "tags", tag_id, "taggings", tagging.public_id),
            "osdi:tag": hal.href(request, "tags", tag_id),
            "osdi:person": hal.href(request, "people", person_id),
        },
    }


TAGGING_FILTERS = dates("created_at", "created_at")


def _taggings(request: HttpRequest) -> Any:
    people = access.people_visible_to(user_of(request))
    return (
        Tagging.objects.filter(person__in=people.values("pk")).select_related("tag", "person").order_by("id")
    )


def _tag(tag_id: str) -> Tag:
    tag = Tag.objects.filter(public_id=access.parse_public_id(tag_id)).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag


@route(
    ["GET"], "/people/{person_id}/taggings", response=TaggingsOut, summary="A person's taggings", tags=TAGS
)
def list_person_taggings(request: HttpRequest, person_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    person = _person(request, person_id)
    page = page_of(_taggings(request).filter(person=person), params, TAGGING_FILTERS)
    audit(request, Verb.VIEW, "person", person.public_id, what="taggings")
    return hal.collection(
        request, "taggings", page, lambda t: tagging_json(request, t), "people", person_id, "taggings"
    )


@route(["GET"], "/tags/{tag_id}/taggings", response=TaggingsOut, summary="A tag's taggings", tags=["tags"])
def list_taggings(request: HttpRequest, tag_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    tag = _tag(tag_id)
    page = page_of(_taggings(request).filter(tag=tag), params, TAGGING_FILTERS)
    audit(request, Verb.VIEW, "person", "", tag=tag.name, shown=[str(t.person.public_id) for t in page.items])
    return hal.collection(
        request, "taggings", page, lambda t: tagging_json(request, t), "tags", tag_id, "taggings"
    )


def _tagging(request: HttpRequest, tag_id: str, tagging_id: str) -> Tagging:
    tagging = (
        _taggings(request).filter(tag=_tag(tag_id), public_id=access.parse_public_id(tagging_id)).first()
    )
    if tagging is None:
        raise Http404("No such tagging.")
    return tagging


@route(
    ["GET"],
    "/tags/{tag_id}/taggings/{tagging_id}",
    response=TaggingOut,
    summary="Read a tagging",
    tags=["tags"],
)
def get_tagging(request: HttpRequest, tag_id: str, tagging_id: str) -> dict[str, Any]:
    tagging = _tagging(request, tag_id, tagging_id)
    audit(request, Verb.VIEW, "person", tagging.person.public_id, tag=tagging.tag.name)
    return tagging_json(request, tagging)


def tag_person(request: HttpRequest, tag: Tag, body: TaggingIn) -> Tagging:
    """Put the tag on the person the body links (a tagging, or an item of a list)."""
    user = require_write(request)
    if body.item_type != "osdi:person":
        raise ValidationError({"item_type": "Only people can be tagged."})
    person_id = hal.linked_id(body.links, "osdi:person")
    if not person_id:
        raise ValidationError({"_links.osdi:person": "Link the person to tag (osdi:person)."})
    person = access.access_person(user, person_id, write=True)
    people_actions.do_tag_people(user, [person], tag.name)
    return Tagging.objects.select_related("tag", "person").get(person=person, tag=tag)


def untag_person(request: HttpRequest, tagging: Tagging) -> None:
    user = require_write(request)
    access.access_person(user, tagging.person.public_id, write=True)
    people_actions.do_untag_person(user, tagging.person, tagging.tag)


@route(["POST"], "/tags/{tag_id}/taggings", response=TaggingOut, summary="Tag a person", tags=["tags"])
def create_tagging(request: HttpRequest, tag_id: str, body: TaggingIn) -> dict[str, Any]:
    return tagging_json(request, tag_person(request, _tag(tag_id), body))


@route(
    ["DELETE"],
    "/tags/{tag_id}/taggings/{tagging_id}",
    response=NoticeOut,
    summary="Untag a person",
    tags=["tags"],
)
def delete_tagging(request: HttpRequest, tag_id: str, tagging_id: str) -> dict[str, Any]:
    require_write(request)
    untag_person(request, _tagging(request, tag_id, tagging_id))
    return hal.notice("tagging")


entry("people", "people", "The collection of people in the system")
entry("person_signup_helper", "people", "The person signup helper for the system")
