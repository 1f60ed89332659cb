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
    assert "1 people moved up and 0 dropped" in out.getvalue()
    call_command("ladder", "update", stdout=out)
    assert "0 people moved up and 0 dropped; 0 follow-ups queued." in out.getvalue()
    assert Spell.objects.get().person == small_city.bo
