"""Reading ahead in a process of its own: items in order, the producer's errors, no process left."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from grassroots.lib.ahead import can_read_ahead, read_ahead

pytestmark = pytest.mark.skipif(not can_read_ahead(), reason="needs a second core and fork")


def _numbers(
    n: int, fail_at: int | None = None, error: BaseException | None = None
) -> Iterator[tuple[int, int]]:
    for i in range(n):
        if i == fail_at:
            raise error or ValueError(f"line {i} is broken")
        yield i, os.getpid()


def test_items_arrive_in_order_from_another_process() -> None:
    items = list(read_ahead(lambda: _numbers(50), depth=2))
    assert [i for i, _ in items] == list(range(50))
    assert {pid for _, pid in items} != {os.getpid()}  # made elsewhere


def test_the_producers_error_is_raised_after_the_items_before_it() -> None:
    seen = []
    with pytest.raises(ValueError, match="line 3 is broken"):
        for i, _ in read_ahead(lambda: _numbers(10, fail_at=3)):
            seen.append(i)
    assert seen == [0, 1, 2]


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("a lock inside")
        self.lock = threading.Lock()


def test_an_error_that_cannot_cross_is_told_by_name() -> None:
    with pytest.raises(RuntimeError, match="_Unpicklable: a lock inside"):
        list(read_ahead(lambda: _numbers(5, fail_at=1, error=_Unpicklable())))


def test_a_consumer_that_stops_early_leaves_no_process() -> None:
    reading = read_ahead(lambda: _numbers(10_000), depth=2)
    (_, child) = next(reading)
    reading.close()
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
