from __future__ import annotations

import uuid

from grassroots.lib.ids import ordered_uuid_hexes, ordered_uuids


def test_ordered_uuids_are_version_7_and_in_order() -> None:
    made = ordered_uuids(5000)
    assert {u.version for u in made} == {7}
    assert {u.variant for u in made} == {uuid.RFC_4122}
    assert made == sorted(made)
    assert len(set(made)) == 5000


def test_later_batches_sort_after_earlier_ones() -> None:
    first = ordered_uuid_hexes(3)
    second = ordered_uuid_hexes(3)
    assert max(first) < min(second) or first[0][:12] == second[0][:12]
    assert all(len(h) == 32 and uuid.UUID(h).version == 7 for h in first + second)
