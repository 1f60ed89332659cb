from __future__ import annotations

from django.apps import AppConfig


class StrugglesConfig(AppConfig):
    name = "grassroots.struggles"
    label = "struggles"
