"""The canvass sync keeps exactly-once when the server dies in the middle of a batch and restarts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import requests
from django.urls import reverse

from grassroots.canvass.models import Visit
from grassroots.canvass.tests.conftest import Canvass, visit
from grassroots.fixtures import SharedDatabase, wait_until
from grassroots.people.models import Action

PASSWORD = "a-long-canvasser-password-5"
CRASH_AT = 6  # the server dies writing the sixth visit of ten


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: SharedDatabase, app: str, port: int, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """gunicorn serving ``app`` on 127.0.0.1:``port``, answering once it does."""
    server = db.start_program(
        ["-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"],
        log=log,
        own_group=True,
        **env,
    )

    def answers() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}{reverse('login')}", timeout=60).status_code == 200
        except requests.RequestException:
            return False

    wait_until(answers, f"the server on port {port}")
    return server


def _log_in(base: str) -> requests.Session:
    phone = requests.Session()
    phone.get(base + reverse("login"), timeout=30)
    answer = phone.post(
        base + reverse("login"),
        {"username": "canvasser", "password": PASSWORD, "csrfmiddlewaretoken": phone.cookies["csrftoken"]},
        timeout=30,
    )
    assert answer.status_code == 200 and "sessionid" in phone.cookies, answer.text[:500]
    return phone


def _upload(phone: requests.Session, base: str, batch: list[dict[str, str]]) -> requests.Response:
    return phone.post(
        base + reverse("canvass_sync"),
        data=json.dumps({"visits": batch}),
        headers={"Content-Type": "application/json", "X-CSRFToken": phone.cookies["csrftoken"] or ""},
        timeout=60,
    )


def test_a_batch_cut_by_a_dying_server_is_applied_exactly_once_after_the_restart(
    shared_database: SharedDatabase, canvass: Canvass, tmp_path: Path
) -> None:
    db = shared_database
    canvass.canvasser.set_password(PASSWORD)
    canvass.canvasser.save(update_fields=["password"])
    batch = [visit(canvass, i, person=str(canvass.people[i].public_id)) for i in range(10)]
    db.push()
    crash, log, port = tmp_path / "crash-once", tmp_path / "server.log", _free_port()
    crash.touch()
    base = f"http://127.0.0.1:{port}"
    app = "grassroots.canvass.tests.crashing_server:application"
    server = _serve(db, app, port, log, CRASH_FILE=str(crash), CRASH_AT=str(CRASH_AT))
    phone = _log_in(base)

    with pytest.raises(requests.ConnectionError):
        _upload(phone, base, batch)  # the phone hears nothing: it keeps the whole batch queued
    assert not crash.exists(), log.read_text()
    # The whole server goes down, not just its worker: the master and the worker it started in
    # place of the dead one, which killed alone would keep the port and answer the next upload.
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    assert db.value("SELECT COUNT(*) FROM canvass_visit") == CRASH_AT - 1  # half the batch landed

    server = _serve(db, "grassroots.wsgi:application", port, log)
    try:
        answer = _upload(phone, base, batch)  # the same session: it outlived the restart
        assert answer.status_code == 200, answer.text[:500]
        report = answer.json()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    ids = [v["id"] for v in batch]
    assert sorted(report["already"]) == sorted(ids[: CRASH_AT - 1])
    assert sorted(report["applied"]) == sorted(ids[CRASH_AT - 1 :])
    assert report["rejected"] == []
    db.pull()
    assert sorted(str(v) for v in Visit.objects.values_list("public_id", flat=True)) == sorted(ids)
    knocks = Action.objects.filter(kind="door_knock")
    assert sorted(knocks.values_list("details__visit", flat=True)) == sorted(ids)
