"""Small helpers that build test data (make_area, make_person, make_user) and read pages (mentions)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.models import Role, User
from grassroots.accounts.two_factor import PENDING_SESSION_KEY
from grassroots.lib.addresses import normalize_address
from grassroots.lib.geo import rectangle
from grassroots.people.actions import PersonData
from grassroots.people.models import Action, Consent, EmailAddress, Person, PhoneNumber, Tag
from grassroots.places.actions import do_create_area
from grassroots.places.models import Area, Household

_numbers = itertools.count(1)


def make_area(
    name: str, kind: str = "neighborhood", parent: Area | None = None, box: tuple[float, ...] | None = None
) -> Area:
    geometry = rectangle(*box) if box else None
    return do_create_area(kind=kind, name=name, parent=parent, geometry=geometry)


def make_user(username: str, role: str = Role.MEMBER, scope: list[Area] | None = None, **extra: Any) -> User:
    user = User.objects.create(username=username, role=role, **extra)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if scope:
        user.scope.set(scope)
    return user


def make_totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator app of the user's (one per user: the same one on each call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def totp_code(device: TOTPDevice, offset: int = 0) -> str:
    """The code the device's app shows now (offset: that many 30-second steps later)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, drift=offset)
    return f"{code:0{device.digits}d}"


def verify_session(client: Client, user: User) -> None:
    """Count the client's logged-in session as verified by a device of the user's, as the code would."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = make_totp_device(user).persistent_id
    session.pop(PENDING_SESSION_KEY, None)
    session.save()


def make_household(area: Area, line1: str | None = None, unit: str = "") -> Household:
    address = normalize_address(line1 or f"{next(_numbers)} Test Street", unit, "Eastbrook", "NY", "11368")
    return Household.objects.create(
        area=area,
        address_line=address.line1,
        unit=address.unit,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
    )


def make_person(
    first_name: str,
    last_name: str = "",
    *,
    area: Area,
    household: Household | None = None,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    consents: dict[str, bool] | None = None,
    actions: tuple[str, ...] = (),
) -> Person:
    """A person written straight to the database (tests of the actions use the actions instead)."""
    person = Person.objects.create(
        first_name=first_name,
        last_name=last_name,
        area=household.area if household else area,
        household=household,
    )
    for i, address in enumerate(emails):
        EmailAddress.objects.create(person=person, address=address, is_primary=i == 0)
    for i, number in enumerate(phones):
        PhoneNumber.objects.create(person=person, number=number, is_primary=i == 0)
    for name in tags:
        person.tags.add(Tag.objects.get_or_create(name=name)[0])
    for channel, granted in (consents or {}).items():
        Consent.objects.create(person=person, channel=channel, granted=granted, source="test")
    for kind in actions:
        Action.objects.create(person=person, kind=kind, area=person.area, source="test")
    return person


def person_data(first_name: str, last_name: str = "", **fields: Any) -> PersonData:
    return PersonData(first_name=first_name, last_name=last_name, **fields)


def mentions(page: str, words: str) -> bool:
    """Whether the page holds these words as whole words.

    A short name such as "Cy" or "Dee" can turn up inside a random token of the page (the CSRF
    token, an id); as a whole word it cannot.
    """
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", page) is not None
