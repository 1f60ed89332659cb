from __future__ import annotations

from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "grassroots.voters"
    label = "voters"
