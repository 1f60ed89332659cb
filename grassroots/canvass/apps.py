from __future__ import annotations

from django.apps import AppConfig


class CanvassConfig(AppConfig):
    name = "grassroots.canvass"
    label = "canvass"
