from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Keeping the service whole: backups and restores, and background work that outlives a crash."""

    name = "grassroots.operations"
    label = "operations"
