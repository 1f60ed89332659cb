"""The people of the demo city: households, names, ways to reach them, tags and timelines.

Everything here is drawn from the ``random.Random`` it is given, in a fixed order,
so the same seed gives the same people. The objects are unsaved model instances;
the generator saves them in bulk.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from grassroots.demo import names
from grassroots.demo.names import Group
from grassroots.people.models import Action, Channel, Consent, EmailAddress, Person, PhoneNumber
from grassroots.places.models import Household

NEW_YORK = ZoneInfo("America/New_York")
IMPORTED_FROM = date(2025, 9, 1)  # people were first entered over the following months
TIMELINE_FROM, TIMELINE_DAYS = date(2026, 1, 5), 320  # actions fall between Jan 5 and Nov 21, 2026
CONSENT_FROM, CONSENT_DAYS = date(2025, 3, 1), 620
SOURCE = "demo import"
SUFFIX_GROUPS = frozenset({"african_american", "irish", "italian", "caribbean", "filipino", "jewish"})
# Exchanges that are not handed out as ordinary numbers.
RESERVED_EXCHANGES = frozenset({555, 950, 958, 959, 976})

ACTION_KINDS: tuple[tuple[str, int], ...] = (
    ("door_knock", 34),
    ("petition", 20),
    ("signup", 14),
    ("rsvp", 14),
    ("attended", 10),
    ("call", 8),
)
CONSENT_SOURCES: tuple[tuple[str, int], ...] = (
    (SOURCE, 5),
    ("sign-up form", 2),
    ("door knock", 2),
    ("event check-in", 1),
)


def ascii_fold(text: str) -> str:
    """Lowercase letters and digits only: "Peña Rodríguez" -> "penarodriguez", "Łukasz" -> "lukasz"."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _weighted(rng: Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _moment(rng: Random, start: date, days: int, hours: tuple[int, int] = (9, 20)) -> datetime:
    day = start + timedelta(days=rng.randrange(days))
    return datetime.combine(day, time(rng.randint(*hours), rng.randrange(0, 60, 5)), tzinfo=NEW_YORK)


@dataclass
class Batch:
    """The unsaved rows of one election district, in the order they are to be saved."""

    households: list[Household] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    emails: list[EmailAddress] = field(default_factory=list)
    phones: list[PhoneNumber] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    tags: list[tuple[Person, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class Home:
    """What the generator knows about a door before people are put behind it."""

    household: Household
    apartment: bool  # in an apartment building
    owner_floor: bool  # a one-family house or the first floor of a small one
    arterial: bool  # on a boulevard, above the shops


class Residents:
    """Draws the people of households, one neighborhood at a time.

    ``first_person`` numbers people across the whole city, so that email addresses,
    which carry the number, never collide.
    """

    def __init__(self, rng: Random, first_person: int = 1) -> None:
        self.rng = rng
        self.counter = first_person
        # Each neighborhood has its own mix of communities.
        self.weights = [g.weight * rng.uniform(0.4, 1.8) for g in names.GROUPS]

    def _group(self) -> Group:
        return self.rng.choices(names.GROUPS, weights=self.weights)[0]

    # Households ------------------------------------------------------------------

    def fill(self, home: Home, batch: Batch) -> None:
        """Put 1-4 people behind a door, with everything known about them."""
        rng = self.rng
        household = home.household
        batch.households.append(household)
        size = rng.choices((1, 2, 3, 4), weights=(50, 36, 10, 4))[0]
        group = self._group()
        surname = self._surname(group)
        head_born = rng.randint(1940, 2003)
        head_female = rng.random() < 0.55
        landline = self._phone(rng.choice(names.HOME_AREA_CODES)) if rng.random() < 0.12 else None
        members: list[tuple[Group, str, bool, int]] = [(group, surname, head_female, head_born)]
        for _ in range(1, size):
            roll = rng.random()
            if len(members) == 1 and roll < 0.65:  # a partner
                female = not head_female if rng.random() < 0.93 else head_female
                born = min(2008, max(1935, head_born + rng.randint(-6, 6)))
                own_name = rng.random() < 0.25
                members.append((group, self._surname(group) if own_name else surname, female, born))
            elif roll < 0.85 and head_born <= 1986:  # a grown child
                born = min(2008, head_born + rng.randint(20, 34))
                members.append((group, surname, rng.random() < 0.5, born))
            else:  # a roommate or relative, sometimes of another community
                other = self._group() if rng.random() < 0.5 else group
                members.append((other, self._surname(other), rng.random() < 0.5, rng.randint(1950, 2006)))
        for member_group, member_surname, female, born in members:
            self._person(home, batch, member_group, member_surname, female, born, landline)

    def _surname(self, group: Group) -> str:
        rng = self.rng
        surname = rng.choice(group.surnames)
        if group.double_surname and rng.random() < group.double_surname:
            second = rng.choice(group.surnames)
            if second != surname:
                surname = f"{surname} {second}"
        return surname

    # People ----------------------------------------------------------------------

    def _person(
        self,
        home: Home,
        batch: Batch,
        group: Group,
        surname: str,
        female: bool,
        born: int,
        landline: str | None,
    ) -> None:
        rng = self.rng
        number = self.counter
        self.counter += 1
        firsts = group.female if female else group.male
        first = rng.choice(firsts)
        middle = ""
        if rng.random() < group.middle_name:
            if group.key == "filipino":
                middle = rng.choice(group.surnames)  # the mother's maiden name
            else:
                middle = rng.choice([n for n in firsts if n != first])
        suffix = ""
        if not female and group.key in SUFFIX_GROUPS and rng.random() < 0.04:
            suffix = rng.choice(("Jr.", "Jr.", "Jr.", "III"))
        last = names.feminine_surname(group, surname) if female else surname

        language = _weighted(rng, group.languages)
        if born >= 1995 and language != "English" and rng.random() < 0.45:
            language = "English"
        custom: dict[str, Any] = {}
        if rng.random() < 0.85:
            custom["preferred_language"] = language
        if rng.random() < 0.7:
            custom["birth_year"] = born
        if home.apartment and rng.random() < 0.3:
            custom["rent_stabilized"] = rng.random() < 0.6

        created = _moment(rng, IMPORTED_FROM, 120)
        household = home.household
        person = Person(
            first_name=first,
            middle_name=middle,
            last_name=last,
            suffix=suffix,
            household=household,
            area=household.area,
            custom_fields=custom,
            created_at=created,
            updated_at=created,
        )
        batch.people.append(person)

        emails = self._emails(first, last, number)
        batch.emails.extend(
            EmailAddress(person=person, address=address, is_primary=(i == 0))
            for i, address in enumerate(emails)
        )
        phones = self._phones(landline)
        batch.phones.extend(
            PhoneNumber(person=person, number=phone, kind=kind, is_primary=(i == 0))
            for i, (phone, kind) in enumerate(phones)
        )
        batch.consents.extend(self._consents(person, bool(emails), phones))
        tags = self._tags(home, language, born)
        batch.tags.extend((person, tag) for tag in tags)
        batch.actions.extend(self._timeline(person, "volunteer" in tags))

    def _emails(self, first: str, last: str, number: int) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll >= 0.6:
            return []
        given = ascii_fold(first.split()[0]) or "neighbor"
        family = ascii_fold(last.split()[0]) if last else ""
        forms = [f"{given}.{family}{number}", f"{given}{family}{number}", f"{given[0]}{family}{number}"]
        if not family:
            forms = [f"{given}{number}"]
        first_address = f"{rng.choice(forms)}@{rng.choice(names.EMAIL_DOMAINS)}"
        if roll < 0.05:
            domains = [d for d in names.EMAIL_DOMAINS if not first_address.endswith(d)]
            return [first_address, f"{given}{number}@{rng.choice(domains)}"]
        return [first_address]

    def _phone(self, area_code: str) -> str:
        rng = self.rng
        while True:
            exchange = rng.randint(201, 999)
            if exchange % 100 != 11 and exchange not in RESERVED_EXCHANGES:
                break
        return f"+1{area_code}{exchange}{rng.randrange(10000):04d}"

    def _phones(self, landline: str | None) -> list[tuple[str, str]]:
        rng = self.rng
        roll = rng.random()
        if roll >= 0.72:
            return [(landline, "home")] if landline and rng.random() < 0.5 else []
        first = (self._phone(rng.choice(names.MOBILE_AREA_CODES)), "mobile")
        if roll < 0.08:
            if landline:
                return [first, (landline, "home")]
            kind = "work" if rng.random() < 0.5 else "home"
            return [first, (self._phone(rng.choice(names.HOME_AREA_CODES)), kind)]
        return [first]

    def _consents(self, person: Person, has_email: bool, phones: list[tuple[str, str]]) -> list[Consent]:
        rng = self.rng
        chances = (
            (Channel.EMAIL, 0.65 if has_email else 0.0, 0.85),
            (Channel.SMS, 0.45 if any(k == "mobile" for _, k in phones) else 0.0, 0.75),
            (Channel.CALL, 0.25 if phones else 0.0, 0.7),
            (Channel.DOOR, 0.15, 0.9),
        )
        consents = []
        for channel, recorded, granted in chances:
            if rng.random() < recorded:
                consents.append(
                    Consent(
                        person=person,
                        channel=channel,
                        granted=rng.random() < granted,
                        recorded_at=_moment(rng, CONSENT_FROM, CONSENT_DAYS),
                        source=_weighted(rng, CONSENT_SOURCES),
                    )
                )
        return consents

    def _tags(self, home: Home, language: str, born: int) -> list[str]:
        rng = self.rng
        tags = []
        if home.apartment:
            if rng.random() < 0.8:
                tags.append("tenant")
            if rng.random() < 0.012:
                tags.append("building captain")
        elif not home.owner_floor and rng.random() < 0.5:
            tags.append("tenant")
        elif home.owner_floor and rng.random() < 0.35:
            tags.append("homeowner")
        if rng.random() < 0.12:
            tags.append("union member")
        if rng.random() < 0.05:
            tags.append("volunteer")
        speaker = names.SPEAKER_TAGS.get(language)
        if speaker and rng.random() < 0.6:
            tags.append(speaker)
        if born <= 1961 and rng.random() < 0.8:
            tags.append("senior")
        if born >= 2002 and rng.random() < 0.5:
            tags.append("student")
        if rng.random() < (0.08 if home.arterial else 0.015):
            tags.append("small business")
        return tags

    def _timeline(self, person: Person, volunteer: bool) -> list[Action]:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3, 4), weights=(40, 25, 17, 11, 7))[0]
        if volunteer:
            count = min(4, count + 2)
        moments = sorted(_moment(rng, TIMELINE_FROM, TIMELINE_DAYS) for _ in range(count))
        actions = []
        for moment in moments:
            kind = _weighted(rng, ACTION_KINDS)
            details: dict[str, Any]
            if kind == "door_knock":
                details = {"result": _weighted(rng, names.DOOR_RESULTS)}
            elif kind == "call":
                details = {"result": rng.choice(("talked", "voicemail", "no answer"))}
            elif kind == "petition":
                details = {"petition": rng.choice(names.PETITIONS)}
            elif kind == "signup":
                details = {"form": rng.choice(names.SIGNUP_FORMS)}
            else:
                details = {"event": rng.choice(names.EVENTS)}
            actions.append(
                Action(
                    person=person,
                    kind=kind,
                    occurred_at=moment,
                    area=person.area,
                    source=SOURCE,
                    details=details,
                )
            )
        return actions


# Every tag the generator hands out, created up front.
ALL_TAGS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            "tenant",
            "homeowner",
            "building captain",
            "union member",
            "volunteer",
            "senior",
            "student",
            "small business",
            *names.SPEAKER_TAGS.values(),
        ]
    )
)
