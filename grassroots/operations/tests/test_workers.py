"""A task left running by a worker killed in its middle is taken up by the next worker."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from grassroots.fixtures import SharedDatabase, wait_until
from grassroots.operations.tests.tasks import wait_for_file
from grassroots.operations.workers import new_worker_id, requeue_orphaned_tasks

STATUS = "SELECT status FROM django_tasks_database_dbtaskresult"


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Tasks go to the database queue, as in production, instead of running inside the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_task_left_running_by_a_killed_worker_runs_again_in_the_next(
    shared_database: SharedDatabase, queued_tasks: None, tmp_path: Path
) -> None:
    db, log, release = shared_database, tmp_path / "workers.log", tmp_path / "release"
    wait_for_file.enqueue(str(release))
    db.push()
    worker = db.start("worker", "--interval", "0.1", "--no-startup-delay", "--no-reload", log=log)
    wait_until(lambda: db.value(STATUS) == "RUNNING", "the worker to take the task")
    worker.send_signal(signal.SIGKILL)
    assert worker.wait() == -signal.SIGKILL

    # django-tasks' own worker leaves it running for ever: nothing else takes a RUNNING task.
    plain = db.start("db_worker", "--batch", "--no-startup-delay", "--no-reload", log=log)
    assert plain.wait() == 0
    assert db.value(STATUS) == "RUNNING"

    release.touch()
    ours = db.start("worker", "--batch", "--no-startup-delay", "--no-reload", log=log)
    assert ours.wait() == 0, log.read_text()
    assert db.value(STATUS) == "SUCCESSFUL", log.read_text()
    assert "Queued again 1 task" in log.read_text()


@pytest.mark.django_db
def test_a_running_task_of_a_live_worker_or_of_another_machine_is_left_alone(queued_tasks: None) -> None:
    from django_tasks_db.models import DBTaskResult

    live = wait_for_file.enqueue("/nonexistent")
    elsewhere = wait_for_file.enqueue("/nonexistent")
    DBTaskResult.objects.filter(pk=live.id).update(status="RUNNING", worker_ids=[new_worker_id()])
    DBTaskResult.objects.filter(pk=elsewhere.id).update(
        status="RUNNING", worker_ids=["other-host:1:abcdefgh"]
    )
    assert requeue_orphaned_tasks() == []
    # Named by an operator who knows that machine is down, it is queued again.
    assert requeue_orphaned_tasks(worker_ids=["other-host:1:abcdefgh"]) == [str(elsewhere.id)]
    assert DBTaskResult.objects.get(pk=elsewhere.id).status == "READY"
    assert DBTaskResult.objects.get(pk=live.id).status == "RUNNING"
