"""Keeping bots off the public sign-up pages: a rate limit per client address and a honeypot field.

Repeats from one person need no defence here: the same email finds the same person, who keeps
one RSVP or one signature (events.actions). What this module stops is volume: a script sending
hundreds of made-up people to fill an event or pad a petition.

The limit (``EVENTS_SIGNUPS_PER_HOUR``) counts accepted and refused attempts alike per client
address in Django's cache, in fixed one-hour windows. Behind a proxy, the proxy must set
REMOTE_ADDR to the client's address (gunicorn's ``--forwarded-allow-ips``), or every visitor
shares the proxy's count.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# A field no person sees or fills (hidden by the page's CSS, skipped by the tab key); bots
# that fill every input fill it too.
HONEYPOT_FIELD = "website"
WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest) -> bool:
    """Count this attempt; True when the address has used up its sign-ups for the hour."""
    limit = settings.EVENTS_SIGNUPS_PER_HOUR
    window = int(time.time() // WINDOW_SECONDS)
    key = f"events:signups:{client_address(request)}:{window}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def is_bot(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())
