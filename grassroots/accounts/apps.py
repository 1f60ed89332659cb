from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"

    def ready(self) -> None:
        from grassroots.accounts import signals  # noqa: F401  (connects the audit receivers)
