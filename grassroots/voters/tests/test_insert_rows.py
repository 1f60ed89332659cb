"""insert_rows: plain tuples into a model's table, read back as the ORM would have saved them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from grassroots.places.actions import build_area
from grassroots.places.models import Area, Household
from grassroots.voters.bulk import insert_rows
from grassroots.voters.models import VoterRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> Area:
    area = build_area(kind="state", name="North Carolina", code="STATE-NC")
    area.save()
    return area


def test_rows_get_their_keys_and_the_defaults_of_the_fields_left_out(area: Area) -> None:
    with transaction.atomic():
        ids, count = insert_rows(
            Household,
            ("area_id", "address_line", "unit", "postal_code"),
            [(area.pk, "1 MAIN ST", "", "27601"), (area.pk, "2 MAIN ST", "APT 1", "27601")],
        )
    assert count == 2
    homes = {h.pk: h for h in Household.objects.all()}
    assert sorted(homes) == sorted(ids)
    first, second = homes[ids[0]], homes[ids[1]]
    assert (first.address_line, first.unit, first.city, first.lat) == ("1 MAIN ST", "", "", None)
    assert (second.address_line, second.unit) == ("2 MAIN ST", "APT 1")
    assert first.public_id != second.public_id  # a default made by a function: one value a row
    # Keys are not given twice, by insert_rows or by the ORM after it.
    with transaction.atomic():
        more, _ = insert_rows(Household, ("area_id", "address_line"), [(area.pk, "3 MAIN ST")])
    later = Household.objects.create(area=area, address_line="4 MAIN ST")
    assert len({*ids, *more, later.pk}) == 4


def test_conflicting_rows_are_skipped_and_not_counted(area: Area) -> None:
    Household.objects.create(area=area, address_line="1 MAIN ST", postal_code="27601")
    with transaction.atomic():
        _, count = insert_rows(
            Household,
            ("area_id", "address_line", "unit", "postal_code"),
            [(area.pk, "1 MAIN ST", "", "27601"), (area.pk, "2 MAIN ST", "", "27601")],
            ignore_conflicts=True,
        )
    assert count == 1
    assert Household.objects.count() == 2


def test_rows_without_conflict_all_go_in_with_their_keys_when_conflicts_may_be_skipped(area: Area) -> None:
    Household.objects.create(area=area, address_line="9 MAIN ST", postal_code="27601")
    with transaction.atomic():
        ids, count = insert_rows(
            Household,
            ("area_id", "address_line", "unit", "postal_code"),
            [(area.pk, f"{n} MAIN ST", "", "27601") for n in (1, 2, 3)],
            ignore_conflicts=True,
        )
    assert count == 3
    stored = dict(Household.objects.filter(pk__in=ids).values_list("pk", "address_line"))
    assert [stored[pk] for pk in ids] == ["1 MAIN ST", "2 MAIN ST", "3 MAIN ST"]


def test_json_dates_and_times_read_back_unchanged(area: Area) -> None:
    at = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    with transaction.atomic():
        (pk,), _ = insert_rows(
            VoterRecord,
            ("state", "voter_id", "first_name", "last_name", "birth_date", "raw", "districts", "updated_at",
             "area_id", "row_hash"),
            [("NC", "AA1", "ANA", "PEÑA", date(1960, 3, 4), {"ncid": "AA1", "note": 'a "quoted"\tvalue'},
              {"congressional": "2"}, at, area.pk, "0" * 32)],
        )  # fmt: skip
    record = VoterRecord.objects.get(pk=pk)
    assert record.birth_date == date(1960, 3, 4)
    assert record.raw == {"ncid": "AA1", "note": 'a "quoted"\tvalue'}
    assert record.districts == {"congressional": "2"}
    assert record.updated_at == at
    assert (record.last_name, record.on_roll, record.person_id, record.removed_at) == (
        "PEÑA",
        True,
        None,
        None,
    )


def test_listed_keys_find_the_same_rows_as_a_list_in_one_statement_of_any_length(area: Area) -> None:
    from grassroots.voters.bulk import listed

    with transaction.atomic():
        ids, _ = insert_rows(
            Household,
            ("area_id", "address_line", "unit", "postal_code"),
            [(area.pk, f"{n} CALLE PEÑA", "", "27601") for n in range(1, 40)],
        )
    for wanted in ([], ids[:1], ids[3:30:2], [*ids, 10**9]):
        by_key = Household.objects.filter(pk__in=listed(wanted))
        assert sorted(by_key.values_list("pk", flat=True)) == sorted(set(wanted) & set(ids))
    lines = ["3 CALLE PEÑA", "7 CALLE PEÑA", "nowhere"]
    found = Household.objects.filter(address_line__in=listed(lines)).values_list("address_line", flat=True)
    assert sorted(found) == lines[:2]
    # The SQL is the same for three keys and three thousand: the driver prepares it once.
    short = Household.objects.filter(pk__in=listed(ids[:3])).query.sql_with_params()[0]
    long = Household.objects.filter(pk__in=listed(range(3000))).query.sql_with_params()[0]
    assert short == long
