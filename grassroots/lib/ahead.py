"""Running a generator in a process of its own, ahead of the code that consumes it.

An import spends about half its time reading its file (splitting lines, decoding fields,
normalizing addresses) and half writing to the database. On a machine with two cores or
more, ``read_ahead`` lets the reading run in a forked process while the consumer writes:
the producer's items arrive pickled through a bounded queue, so the reader is never more
than ``depth`` items ahead and memory stays flat.

The child is forked, not spawned: it inherits the producer (a closure over a layout, say)
without pickling it, and never touches the parent's database connections. It stops when
its items are all taken, when the consumer closes the generator, or when the parent is
gone (a killed import leaves no reader behind). An exception of the producer is raised
in the consumer, as it would have been without the child.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import queue
import signal
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

POLL_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # prctl(2)


def can_read_ahead() -> bool:
    """Whether a reader process would run beside the consumer: a second core, and fork."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def read_ahead(produce: Callable[[], Iterator[T]], *, depth: int = 4) -> Generator[T, None, None]:
    """The items of ``produce()``, produced in a child process at most ``depth`` items ahead."""
    context = multiprocessing.get_context("fork")
    channel: Any = context.Queue(maxsize=depth)
    child = context.Process(target=_produce, args=(produce, channel, os.getpid()), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, value = channel.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        f"The file's reading process stopped (exit code {child.exitcode})."
                    ) from None
                continue
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
        channel.close()
        channel.cancel_join_thread()


def _die_with(parent: int) -> None:
    """Have the kernel end this process when its parent ends (Linux), however it ends: a reader
    whose consumer was killed would otherwise wait forever for it to take the last items."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # elsewhere: put() below still notices a full queue nobody takes from
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(0)


def _produce(produce: Callable[[], Iterator[Any]], channel: Any, parent: int) -> None:
    _die_with(parent)

    def put(message: tuple[str, Any]) -> None:
        while True:
            try:
                channel.put(message, timeout=POLL_SECONDS)
                return
            except queue.Full:
                if os.getppid() != parent:  # the consumer is gone: no one will read
                    os._exit(0)

    try:
        for item in produce():
            put(("item", item))
    except BaseException as exc:  # handed to the consumer, which raises it
        put(("error", _portable(exc)))
    else:
        put(("end", None))
    channel.close()
    channel.join_thread()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:  # any failure to pickle
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
