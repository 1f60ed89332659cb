"""The page a locked-out login gets: what happened, and from when it may try again."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: Any, credentials: dict[str, Any]
) -> HttpResponse:
    # Each refused try counts as a failure too, so the lock lasts the cool-off from now.
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_until": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
