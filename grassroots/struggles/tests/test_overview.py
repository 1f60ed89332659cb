"""The target view: one landlord's buildings, committees, struggles and open grievances together."""

from __future__ import annotations

import datetime

import pytest

from grassroots.committees.models import Committee
from grassroots.struggles import actions
from grassroots.struggles.overview import struggle_timeline, target_overview
from grassroots.struggles.tests.conftest import Landlord
from grassroots.testing import make_area, make_household, make_person

pytestmark = pytest.mark.django_db


def test_the_target_view_gathers_every_building_of_the_landlord_and_its_managers(landlord: Landlord) -> None:
    c = landlord.city
    # A third building, run by a company acting for the management company, with its own struggle.
    building3 = make_area("7 OAK ST", "building", c.building2.parent)
    for n in range(3):
        make_household(building3, "7 Oak Street", unit=f"{n + 1}A")
    agent = actions.do_create_organization(
        c.admin, kind="management", name="Oak Agents", parent=landlord.manager
    )
    actions.do_add_site(c.admin, agent, building3, "manages")
    actions.do_add_site(c.admin, landlord.landlord, building3, "owns")
    Committee.objects.create(name="Oak Street committee", area=c.building2.parent)  # around, not in
    Committee.objects.create(name="7 Oak tenants", area=building3)
    Committee.objects.create(name="Gone", area=building3, dissolved_on=datetime.date(2025, 1, 1))
    rent = actions.do_create_struggle(c.admin, target=agent, title="Rent freeze", areas=[building3])
    neighbor = make_person("Cy", "Diaz", area=building3)
    actions.do_open_grievance(
        c.admin, rent, category="rent_increase", summary="12% increase", person=neighbor
    )
    closed = actions.do_open_grievance(c.admin, rent, category="repair", summary="Done", person=neighbor)
    actions.do_set_grievance_status(c.admin, closed, "resolved")

    overview = target_overview(c.organizer, landlord.landlord)

    rows = {row.area.name: row for row in overview.places}
    assert set(rows) == {"12 ELM AVE", "40 OAK ST", "7 OAK ST"}
    holders = {(o.name, relation) for o, relation in rows["7 OAK ST"].holders}
    assert holders == {("Oak Agents", "manages"), ("Brightwater Realty", "owns")}
    assert (rows["12 ELM AVE"].households, rows["40 OAK ST"].households, rows["7 OAK ST"].households) == (
        1,
        1,
        3,
    )
    assert [rows[n].open_grievances for n in ("12 ELM AVE", "40 OAK ST", "7 OAK ST")] == [1, 1, 1]
    assert [cm.name for cm in rows["12 ELM AVE"].committees] == ["12 Elm tenants"]
    assert [cm.name for cm in rows["7 OAK ST"].committees] == ["7 Oak tenants"]
    assert [cm.name for cm in overview.committees] == ["12 Elm tenants", "7 Oak tenants"]
    assert {s.title for s in overview.struggles} == {"Repairs now", "Rent freeze"}
    assert {g.summary for g in overview.open_grievances} == {"No heat in 3B", "Overcharged", "12% increase"}
    assert overview.hidden_open_grievances == 0
    assert {o.name for o in overview.family} == {"Keystone Management", "Oak Agents"}

    # The management company's own page covers it and those acting for it, not its landlord's building.
    managed = target_overview(c.organizer, landlord.manager)
    assert {row.area.name for row in managed.places} == {"40 OAK ST", "7 OAK ST"}
    assert [a.name for a in target_overview(c.organizer, agent).ancestors] == [
        "Brightwater Realty",
        "Keystone Management",
    ]


def test_the_target_view_counts_what_it_may_not_name(landlord: Landlord) -> None:
    c = landlord.city
    overview = target_overview(c.coordinator, landlord.landlord)
    assert [g.summary for g in overview.open_grievances] == ["No heat in 3B"]
    assert overview.hidden_open_grievances == 1
    rows = {row.area.name: row for row in overview.places}
    assert rows["40 OAK ST"].open_grievances == 1  # counted, not named
    assert rows["12 ELM AVE"].in_scope and not rows["40 OAK ST"].in_scope


def test_the_timeline_merges_escalations_and_grievances_and_hides_names(landlord: Landlord) -> None:
    c = landlord.city
    s = landlord.struggle
    actions.do_record_escalation(
        c.admin, s, kind="letter", occurred_on=datetime.date(2020, 1, 1), participants=[c.ana, c.bo]
    )
    actions.do_set_grievance_status(c.admin, landlord.ana_case, "dropped", on=datetime.date(2099, 1, 1))

    seen_by_coordinator = struggle_timeline(c.coordinator, s)
    kinds = [e.kind for e in seen_by_coordinator.entries]
    assert kinds == ["escalation", "grievance_opened", "grievance_closed"]
    letter = seen_by_coordinator.entries[0]
    assert (letter.people, letter.hidden_people) == ([c.ana], 1)
    assert seen_by_coordinator.hidden_grievances == 1
    assert seen_by_coordinator.hidden_open_grievances == 1

    everything = struggle_timeline(c.admin, s)
    assert len(everything.entries) == 4
    assert everything.hidden_grievances == 0
    assert struggle_timeline(c.outsider, s).entries[0].people == []
