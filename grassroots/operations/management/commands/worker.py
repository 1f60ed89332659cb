"""``grassroots worker``: django-tasks' db_worker that first queues again what a dead worker left.

Takes every option of ``db_worker`` (``--interval``, ``--batch``, ``--queue-name`` ...), plus
``--requeue WORKER_ID`` to queue again the tasks of a worker of another machine known to be gone.
See operations.workers.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from grassroots.operations.workers import new_worker_id, requeue_orphaned_tasks


class Command(DatabaseWorkerCommand):
    help = "Run background tasks, after queueing again those a crashed worker left running."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())  # host:pid:random, so a crash can be told
        parser.add_argument(
            "--requeue",
            action="append",
            default=[],
            metavar="WORKER_ID",
            help="Queue again the tasks this worker (of another machine, known to be gone) was running.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = requeue_orphaned_tasks()
        if options["requeue"]:
            requeued += requeue_orphaned_tasks(worker_ids=options["requeue"])
        if requeued and options["verbosity"]:
            self.stdout.write(f"Queued again {len(requeued)} task(s) left running by a worker that is gone.")
        super().handle(*args, **options)
