from __future__ import annotations

from django.apps import AppConfig


class CoalitionsConfig(AppConfig):
    name = "grassroots.coalitions"
    label = "coalitions"

    def ready(self) -> None:
        # A coalition decides through proposals: decisions learns who votes in one.
        from grassroots.coalitions.bodies import CoalitionBody
        from grassroots.decisions import bodies

        bodies.register(CoalitionBody())
