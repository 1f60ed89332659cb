"""Canvassing: who to visit. A universe is the set of areas (and, later, filters) a canvass covers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.places.models import Area


class Universe(models.Model):
    """The doors a canvass means to knock: every household in its areas.

    ``source`` records how it was chosen (e.g. the target score and its weights), so an organizer
    can see later why these areas and not others.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    areas = models.ManyToManyField(Area, related_name="universes")
    source = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
