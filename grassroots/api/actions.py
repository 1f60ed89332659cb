"""Every write of API tokens: create and revoke, audited."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.api.models import ApiToken

PREFIX = "gr_"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def do_create_token(
    actor: User | None, user: User, name: str, *, read_only: bool = False
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is shown once and never kept."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=raw[: len(PREFIX) + 6],
        key_hash=hash_key(raw),
        read_only=read_only,
    )
    record_audit(
        actor, AuditEntry.Verb.CREATE, "api_token", token.public_id, user=user.username, read_only=read_only
    )
    return token, raw


@transaction.atomic
def do_revoke_token(actor: User | None, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(actor, AuditEntry.Verb.DELETE, "api_token", token.public_id, user=token.user.username)
