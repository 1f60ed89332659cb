"""Writes of canvassing: creating a universe."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.models import Universe
from grassroots.places.models import Area


@transaction.atomic
def do_create_universe(actor: User, name: str, areas: Sequence[Area], *, source: dict[str, Any]) -> Universe:
    """A universe of these areas; every area must be inside the actor's scope."""
    outside = [a.name for a in areas if not access.area_in_scope(actor, a)]
    if outside:
        raise ValidationError(f"Outside the areas you work in: {', '.join(outside)}.")
    universe = Universe.objects.create(name=name, source=source, created_by=actor)
    universe.areas.set(areas)
    record_audit(actor, AuditEntry.Verb.CREATE, "universe", universe.public_id, areas=len(areas))
    return universe
