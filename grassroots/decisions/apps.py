from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "grassroots.decisions"
    label = "decisions"
