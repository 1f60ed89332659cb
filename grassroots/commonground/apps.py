from __future__ import annotations

from django.apps import AppConfig


class CommongroundConfig(AppConfig):
    name = "grassroots.commonground"
    label = "commonground"
