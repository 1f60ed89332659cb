"""A coalition of three organizations, each with a contact who is its delegate and logs in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.coalitions import actions
from grassroots.coalitions.models import Coalition
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person
from grassroots.struggles.actions import do_create_organization
from grassroots.struggles.models import Organization
from grassroots.testing import make_person, make_user

STARTED_DAYS_AGO = 60


@dataclass
class Alliance:
    city: SmallCity
    coalition: Coalition
    organizations: list[Organization]  # a union, a tenants' association, a community group
    delegates: list[Person]  # one for each organization, in the same order
    users: list[User]  # the delegates' logins
    outsider: Person  # a contact of none of them
    started: datetime.date


@pytest.fixture
def alliance(small_city: SmallCity) -> Alliance:
    c = small_city
    started = timezone.localdate() - datetime.timedelta(days=STARTED_DAYS_AGO)
    coalition = actions.do_create_coalition(c.organizer, "Eastbrook Housing Coalition", founded_on=started)
    organizations, delegates, users = [], [], []
    for kind, name, first in (
        ("union", "Local 32 Hospital Workers", "Iris"),
        ("tenants", "Elm Tenants' Association", "Jo"),
        ("community", "Eastbrook Mutual Aid", "Kim"),
    ):
        org = do_create_organization(c.organizer, kind=kind, name=name)
        person = make_person(first, "Delgado", area=c.building1 if first != "Kim" else c.building2)
        actions.do_add_contact(c.organizer, org, person, role="officer", since=started)
        actions.do_add_member_organization(c.organizer, coalition, org, joined_on=started)
        actions.do_add_delegate(c.organizer, coalition, org, person, starts_on=started)
        organizations.append(org)
        delegates.append(person)
        users.append(make_user(first.lower(), Role.MEMBER, person=person))
    outsider = make_person("Lou", "Brandt", area=c.building2)
    return Alliance(c, coalition, organizations, delegates, users, outsider, started)
