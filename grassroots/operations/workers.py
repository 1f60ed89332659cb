"""Background workers that outlive a crash: tasks left running by a dead worker are queued again.

django-tasks' database backend marks a task RUNNING when a worker claims it and leaves it so if
the worker dies without a word (SIGKILL, the machine losing power, the OOM killer): no other
worker takes a RUNNING task, so it would never run. ``grassroots worker`` names itself by machine
and process id (``host:pid:random``) and, before it takes any task, queues again every task left
running by a worker of this machine whose process is gone. Tasks of another machine's workers
cannot be judged from here: ``grassroots worker --requeue WORKER_ID`` queues them by name, once
that machine is known to be down. Tasks run again from the start, so they must be safe to re-run
(voter imports resume from their last committed batch).
"""

from __future__ import annotations

import os
import socket

from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

MAX_WORKER_ID = 64  # DBTaskResult's limit, checked by db_worker


def new_worker_id() -> str:
    """An id saying where the worker runs: ``host:pid:random``."""
    tail = f":{os.getpid()}:{get_random_string(8)}"
    return socket.gethostname()[: MAX_WORKER_ID - len(tail)] + tail


def _on_this_machine(worker_id: str) -> int | None:
    """The process id of a worker of this machine named by ``new_worker_id``, else None."""
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None  # not named by us (db_worker's random ids): nothing to tell where it ran
    tail = len(parts[1]) + len(parts[2]) + 2
    return int(parts[1]) if parts[0] == socket.gethostname()[: MAX_WORKER_ID - tail] else None


def is_worker_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine. A pid the system gave to another
    process since is taken for alive: the task waits (for ``--requeue``), it is never run twice."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def requeue_orphaned_tasks(*, worker_ids: list[str] | None = None) -> list[str]:
    """Queue again the tasks left running by a dead worker; returns their ids.

    Without ``worker_ids``: the workers of this machine whose process is gone. With them: the
    tasks those workers were running, whatever they were (an operator's word that they are gone)."""
    requeued = []
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        last = task.worker_ids[-1] if task.worker_ids else ""
        if worker_ids is not None:
            orphaned = last in worker_ids
        else:
            pid = _on_this_machine(last)
            orphaned = pid is not None and not is_worker_alive(pid)
        if not orphaned:
            continue
        # Only if it is still running as we saw it: a worker may have finished it meanwhile.
        if DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        ):
            requeued.append(str(task.pk))
    return requeued
