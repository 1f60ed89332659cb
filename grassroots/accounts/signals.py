"""Audit every login, failed login and logout, wherever it happens (the login page, the admin's)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.accounts.sessions import mark_seen
from grassroots.accounts.two_factor import PENDING_SESSION_KEY, has_confirmed_device, role_requires_two_factor


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_audit(user, AuditEntry.Verb.LOGIN, "user", user.pk, address=_address(request))
    if request is not None:
        mark_seen(request.session)
    # Someone who turned two-factor on for themselves owes a code too, though their role does not.
    if request is not None and not role_requires_two_factor(user) and has_confirmed_device(user):
        request.session[PENDING_SESSION_KEY] = True


@receiver(user_login_failed)
def audit_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Never the password: only the name that was tried, and from where.
    username = str(credentials.get("username", ""))[:150]
    record_audit(None, AuditEntry.Verb.LOGIN_FAILED, "user", username=username, address=_address(request))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_audit(user, AuditEntry.Verb.LOGOUT, "user", user.pk, address=_address(request))
