from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.fixtures import SmallCity
from grassroots.ladder.models import Spell

pytestmark = pytest.mark.django_db


def test_the_command_updates_the_ladder_once(small_city: SmallCity) -> None:
    out = StringIO()
    call_command("ladder", "update", stdout=out)
    assert "1 people entered a stage" in out.getvalue()
    call_command("ladder", "update", stdout=out)
    assert "0 people entered a stage (0 moved up, 0 dropped)" in out.getvalue()
    assert Spell.objects.get().person == small_city.bo
