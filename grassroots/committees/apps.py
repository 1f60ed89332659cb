from __future__ import annotations

from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "grassroots.committees"
    label = "committees"
