"""A task for the worker tests: it runs until a file appears, so a worker can be killed in its middle."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def wait_for_file(path: str) -> str:
    while not Path(path).exists():
        time.sleep(0.05)
    return "released"
