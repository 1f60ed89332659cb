"""Who asked not to be contacted, asked the way every outreach path asks it.

Email is opt-in: a message goes only to someone with a granted email Consent (events.reminders).
The doors are opt-out: canvassers knock everywhere, so a walk list and the canvass app must show
who said no — a Consent on the door channel that is not granted — before anyone knocks.
"""

from __future__ import annotations

from collections.abc import Iterable

from grassroots.people.models import Channel, Consent


def refusing(person_ids: Iterable[int], channel: str = Channel.DOOR) -> set[int]:
    """The ids among ``person_ids`` of the people who refused (or withdrew) contact on ``channel``."""
    return set(
        Consent.objects.filter(person_id__in=list(person_ids), channel=channel, granted=False).values_list(
            "person_id", flat=True
        )
    )
