"""Idle sessions end: a session lasts SESSION_IDLE_MINUTES after the last request that touched it.

Django's own way (SESSION_SAVE_EVERY_REQUEST) writes the session row on every request. Here a
logged-in session is written at most once a minute, when its last-seen stamp is older than that,
which moves its expiry to a full idle period from now; the timeout is exact to that minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "last_seen"
TOUCH_EVERY_SECONDS = 60


def mark_seen(session: SessionBase) -> None:
    session[LAST_SEEN_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session and time.time() - session.get(LAST_SEEN_KEY, 0) >= TOUCH_EVERY_SECONDS:
            mark_seen(session)  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
