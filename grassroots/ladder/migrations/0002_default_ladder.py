"""Seed the default ladder (grassroots.ladder.defaults) into a database that has no stages yet."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from grassroots.ladder.defaults import seed_default_ladder


def seed(apps: Any, schema_editor: Any) -> None:
    seed_default_ladder(apps)


class Migration(migrations.Migration):
    dependencies = [("ladder", "0001_initial"), ("voters", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
