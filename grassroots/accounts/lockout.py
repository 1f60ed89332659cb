"""Login throttling: who is locked out, and the page a locked-out login gets.

django-axes counts failed logins per username and address (AXES_FAILURE_LIMIT). Alone, that lets
one address try a password on every name it knows, a few tries each: ``NameAndAddressHandler``
also locks an address once AXES_ADDRESS_FAILURE_LIMIT logins from it have failed within the
cool-off, whatever the names. The limit is higher than a name's, for an office whose volunteers
share one address.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class NameAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler, whose count of failures reaches the limit when the address alone
    has failed AXES_ADDRESS_FAILURE_LIMIT times."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_address_locked = True
            return limit
        return failures


def address_failures(request: Any) -> int:
    """The failed logins from the request's address within the cool-off, all names together."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if get_cool_off(request) is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def lockout_response(
    request: HttpRequest, original_response: Any, credentials: dict[str, Any]
) -> HttpResponse:
    # Each refused try counts as a failure too, so the lock lasts the cool-off from now.
    cool_off = get_cool_off(request)
    address = getattr(request, "axes_address_locked", False)
    context = {
        "address_locked": address,
        "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT
        if address
        else get_failure_limit(request, credentials),
        "cooloff_until": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
