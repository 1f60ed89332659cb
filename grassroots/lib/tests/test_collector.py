"""lib.collector: fewer collections inside, the collector as it was after, cycles still freed."""

from __future__ import annotations

import gc
import weakref

from grassroots.lib.collector import NEW_OBJECTS_BETWEEN_COLLECTIONS, fewer_collections


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_objects_already_there_are_set_aside_and_given_back() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= NEW_OBJECTS_BETWEEN_COLLECTIONS
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_cycles_made_inside_are_still_collected() -> None:
    with fewer_collections():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
