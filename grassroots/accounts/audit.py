"""The audit log: one call, used by actions and by the access layer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from grassroots.accounts.models import AuditEntry


def record_audit(
    actor: AbstractBaseUser | AnonymousUser | None,
    verb: str,
    object_type: str,
    object_id: object = "",
    **details: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
    )
