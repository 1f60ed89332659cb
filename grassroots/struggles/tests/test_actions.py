"""Writes of struggles: history kept, nothing lost, every participation on the person's timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from grassroots.people.actions import do_merge_people
from grassroots.people.models import Action
from grassroots.struggles import actions
from grassroots.struggles.models import STRUGGLE_ACTION, Grievance, Organization, Struggle
from grassroots.struggles.tests.conftest import Landlord
from grassroots.testing import make_person

pytestmark = pytest.mark.django_db


def test_taking_part_in_an_escalation_is_an_action_on_the_ladder(landlord: Landlord) -> None:
    c = landlord.city
    escalation = actions.do_record_escalation(
        c.organizer,
        landlord.struggle,
        kind="delegation",
        occurred_on=datetime.date(2026, 4, 2),
        description="Delegation to the management office",
        participants=[c.ana, c.bo, c.ana],
    )
    assert set(escalation.participants.all()) == {c.ana, c.bo}
    recorded = Action.objects.filter(kind=STRUGGLE_ACTION).order_by("person__first_name")
    assert [a.person for a in recorded] == [c.ana, c.bo]
    for action in recorded:
        assert action.occurred_at.date() == datetime.date(2026, 4, 2)
        assert action.recorded_by == c.organizer
        assert action.area == action.person.area
        assert action.details["struggle"] == str(landlord.struggle.public_id)
        assert action.details["escalation_kind"] == "delegation"
    assert {p.action for p in escalation.participations.all()} == set(recorded)


def test_a_grievance_keeps_the_history_of_its_status(landlord: Landlord) -> None:
    c = landlord.city
    case = landlord.ana_case
    actions.do_set_grievance_status(c.coordinator, case, "in_progress", note="Letter sent to the super")
    actions.do_set_grievance_status(c.coordinator, case, "resolved", on=datetime.date(2026, 5, 1))
    case.refresh_from_db()
    assert case.status == "resolved"
    assert case.closed_on == datetime.date(2026, 5, 1)
    history = [(h.from_status, h.to_status, h.note, h.by) for h in case.status_changes.all()]
    assert history == [
        ("", "open", "", c.admin),
        ("open", "in_progress", "Letter sent to the super", c.coordinator),
        ("in_progress", "resolved", "", c.coordinator),
    ]
    actions.do_set_grievance_status(c.coordinator, case, "open")
    case.refresh_from_db()
    assert case.closed_on is None and case.is_open


def test_setting_the_same_status_again_is_refused(landlord: Landlord) -> None:
    with pytest.raises(ValidationError, match="already open"):
        actions.do_set_grievance_status(landlord.city.admin, landlord.ana_case, "open")
    assert landlord.ana_case.status_changes.count() == 1


def test_evidence_is_dated_and_signed(landlord: Landlord) -> None:
    c = landlord.city
    actions.do_add_evidence(
        c.coordinator, landlord.ana_case, "Photo of the broken radiator", noted_on=datetime.date(2026, 3, 4)
    )
    note = landlord.ana_case.evidence.get()
    assert (note.text, note.noted_on, note.by) == (
        "Photo of the broken radiator",
        datetime.date(2026, 3, 4),
        c.coordinator,
    )
    with pytest.raises(ValidationError):
        actions.do_add_evidence(c.coordinator, landlord.bo_case, "Not theirs to note")


def test_a_struggle_with_history_is_archived_not_deleted(landlord: Landlord) -> None:
    c = landlord.city
    assert actions.do_delete_struggle(c.organizer, landlord.struggle) is False
    landlord.struggle.refresh_from_db()
    assert landlord.struggle.archived_at is not None
    assert Grievance.objects.filter(struggle=landlord.struggle).count() == 2
    assert landlord.struggle.demands.count() == 2


def test_an_empty_struggle_is_deleted(landlord: Landlord) -> None:
    c = landlord.city
    empty = actions.do_create_struggle(
        c.organizer, target=landlord.landlord, title="Typo", areas=[c.building1]
    )
    assert actions.do_delete_struggle(c.organizer, empty) is True
    assert not Struggle.objects.filter(pk=empty.pk).exists()


def test_an_organization_with_history_is_archived_not_deleted(landlord: Landlord) -> None:
    c = landlord.city
    assert actions.do_delete_organization(c.organizer, landlord.manager) is False
    assert actions.do_delete_organization(c.organizer, landlord.landlord) is False
    assert Organization.objects.filter(archived_at__isnull=False).count() == 2
    assert landlord.manager.sites.count() == 1
    blank = actions.do_create_organization(c.organizer, kind="employer", name="Nobody yet")
    assert actions.do_delete_organization(c.organizer, blank) is True
    assert not Organization.objects.filter(pk=blank.pk).exists()


def test_a_site_outside_the_scope_or_not_a_building_is_refused(landlord: Landlord) -> None:
    c = landlord.city
    with pytest.raises(ValidationError, match="Outside the areas you work in"):
        actions.do_add_site(c.coordinator, landlord.landlord, c.building2, "owns")
    with pytest.raises(ValidationError, match="not a building or a workplace"):
        actions.do_add_site(c.coordinator, landlord.landlord, c.ed1, "owns")
    with pytest.raises(ValidationError, match="already recorded"):
        actions.do_add_site(c.coordinator, landlord.landlord, c.building1, "owns")


def test_an_ended_site_is_kept_and_can_be_added_again(landlord: Landlord) -> None:
    c = landlord.city
    site = landlord.landlord.sites.get()
    actions.do_end_site(c.organizer, site, ended_on=datetime.date(2026, 6, 1))
    again = actions.do_add_site(c.organizer, landlord.landlord, c.building1, "owns")
    assert landlord.landlord.sites.count() == 2
    assert again.ended_on is None


def test_organizations_cannot_act_for_each_other_in_a_loop(landlord: Landlord) -> None:
    c = landlord.city
    with pytest.raises(ValidationError, match="already acts for it"):
        actions.do_update_organization(
            c.admin,
            landlord.landlord,
            kind="landlord",
            name="Brightwater Realty",
            notes="",
            parent=landlord.manager,
        )


def test_a_struggle_outside_the_scope_is_refused(landlord: Landlord) -> None:
    c = landlord.city
    with pytest.raises(ValidationError, match="Outside the areas you work in: 40 OAK ST"):
        actions.do_create_struggle(c.coordinator, target=landlord.landlord, title="x", areas=[c.building2])
    with pytest.raises(ValidationError, match="Choose the buildings"):
        actions.do_create_struggle(c.coordinator, target=landlord.landlord, title="x", areas=[])


def test_demands_are_won_lost_or_open(landlord: Landlord) -> None:
    c = landlord.city
    boilers, rent = landlord.struggle.demands.all()
    actions.do_set_demand_status(c.organizer, boilers, "won", on=datetime.date(2026, 7, 1))
    actions.do_add_demand(c.organizer, landlord.struggle, "Return the deposits")
    statuses = list(landlord.struggle.demands.values_list("text", "status", "decided_on"))
    assert statuses == [
        ("Fix the boilers", "won", datetime.date(2026, 7, 1)),
        ("No rent increase", "open", None),
        ("Return the deposits", "open", None),
    ]
    assert rent.status == "open"


def test_a_member_may_not_write(landlord: Landlord) -> None:
    from grassroots.accounts.models import Role
    from grassroots.testing import make_user

    member = make_user("tenant", Role.MEMBER, [landlord.city.building1])
    with pytest.raises(ValidationError, match="may not change struggles"):
        actions.do_add_evidence(member, landlord.ana_case, "x")


def test_merging_people_moves_their_grievances_and_participations(landlord: Landlord) -> None:
    c = landlord.city
    twin = make_person("Ana", "Pena", area=c.building1, household=c.home1)
    case = actions.do_open_grievance(
        c.admin, landlord.struggle, category="harassment", summary="Threats", person=twin
    )
    escalation = actions.do_record_escalation(
        c.admin, landlord.struggle, kind="protest", occurred_on=datetime.date(2026, 4, 5), participants=[twin]
    )
    do_merge_people(c.admin, c.ana, twin)
    case.refresh_from_db()
    assert case.person == c.ana
    assert list(escalation.participants.all()) == [c.ana]


def test_a_new_workplace_is_filed_under_its_street(landlord: Landlord) -> None:
    c = landlord.city
    employer = actions.do_create_organization(c.coordinator, kind="employer", name="Elm Laundromat")
    street = c.building1.parent
    assert street is not None
    site = actions.do_add_workplace(c.coordinator, employer, name="Elm Laundromat", within=street)
    assert (site.area.kind, site.area.parent, site.relation) == ("workplace", street, "employs")
    assert site.area.path.startswith(street.path)
    with pytest.raises(ValidationError, match="Outside the areas you work in"):
        actions.do_add_workplace(c.coordinator, employer, name="Depot", within=c.building2.parent)  # type: ignore[arg-type]


def test_an_escalation_sent_twice_is_on_the_timeline_and_the_ladder_once(landlord: Landlord) -> None:
    c, day = landlord.city, datetime.date(2026, 5, 2)

    def send(description: str) -> None:
        actions.do_record_escalation(
            c.organizer,
            landlord.struggle,
            kind="letter",
            occurred_on=day,
            description=description,
            participants=[c.ana],
        )

    send("Letter sent")
    with pytest.raises(ValidationError, match="already on the timeline"):
        send("Letter sent")
    assert landlord.struggle.escalations.count() == 1
    assert Action.objects.filter(person=c.ana, kind=STRUGGLE_ACTION).count() == 1
    # Another letter that day, told apart by its description, is recorded.
    send("Second letter")
    assert landlord.struggle.escalations.count() == 2


def test_a_grievance_sent_twice_is_opened_once(landlord: Landlord) -> None:
    c = landlord.city

    def send(summary: str) -> None:
        actions.do_open_grievance(
            c.organizer, landlord.struggle, category="harassment", summary=summary, person=c.ana
        )

    send("Super shouts")
    with pytest.raises(ValidationError, match="already open"):
        send(" super shouts ")
    assert landlord.struggle.grievances.filter(summary__iexact="super shouts").count() == 1


def test_a_demand_or_evidence_sent_twice_is_written_down_once(landlord: Landlord) -> None:
    c = landlord.city
    with pytest.raises(ValidationError, match="already written down"):
        actions.do_add_demand(c.organizer, landlord.struggle, "fix the boilers")
    assert landlord.struggle.demands.count() == 2
    day = datetime.date(2026, 5, 2)
    actions.do_add_evidence(c.organizer, landlord.ana_case, "Photo of the boiler", noted_on=day)
    with pytest.raises(ValidationError, match="already noted"):
        actions.do_add_evidence(c.organizer, landlord.ana_case, "Photo of the boiler", noted_on=day)
    assert landlord.ana_case.evidence.count() == 1
