"""The app for gunicorn, in a server that dies (SIGKILL) half way through a canvass sync batch.

While the file named by ``CRASH_FILE`` exists, the server kills itself as the ``CRASH_AT``-th visit
of an upload is being written, before that visit commits: the visits before it are in the
database, the rest of the batch is not, and the phone hears nothing back. The file is removed
first, so the server started after it behaves. Used by test_sync_restart.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from grassroots.wsgi import application


def _arm() -> None:
    """Make sync kill the server at the chosen visit (imported here: once Django is set up)."""
    from grassroots.canvass import sync

    record_actions = sync._record_actions
    written = 0

    def record_then_maybe_die(*args: Any, **kwargs: Any) -> None:
        nonlocal written
        record_actions(*args, **kwargs)
        written += 1
        crash = Path(os.environ["CRASH_FILE"])
        if written == int(os.environ["CRASH_AT"]) and crash.exists():
            crash.unlink()
            os.kill(os.getpid(), signal.SIGKILL)

    sync._record_actions = record_then_maybe_die


_arm()

__all__ = ["application"]
