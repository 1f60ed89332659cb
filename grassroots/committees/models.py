"""Committees of buildings, streets and neighborhoods: the standing bodies an electorate is organized into.

This is the committee as other parts of grassroots need to know it — where it works — so that
targets can tell where no committee exists yet and an area's story can name the one that does.
Memberships, meetings and struggles build on it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.places.models import Area


class Committee(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("Area committee")
        ISSUE = "issue", _("Issue or workplace committee")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AREA)
    # The building, street, neighborhood or election district it organizes (empty for an issue committee).
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="committees")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subcommittees"
    )
    founded_on = models.DateField(default=timezone.localdate)
    dissolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def active_committees() -> models.QuerySet[Committee]:
    return Committee.objects.filter(dissolved_on__isnull=True)
