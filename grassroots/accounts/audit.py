"""The audit log: one call, used by actions and by the access layer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from grassroots.accounts.models import AuditEntry, User


def record_audit(
    actor: User | AnonymousUser | None,
    verb: str,
    object_type: str,
    object_id: object = "",
    **details: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
    )
