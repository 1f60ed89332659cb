"""The demo ladder: people at every stage from recorded Actions, moves both ways, education, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.accounts.models import User
from grassroots.demo.committees import create_demo_committees
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city
from grassroots.demo.ladder import create_demo_ladder
from grassroots.demo.voterfile import write_demo_voter_file
from grassroots.ladder import funnel
from grassroots.ladder.access import queue_visible_to
from grassroots.ladder.models import Progress, QueueItem, Spell, Stage
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import

pytestmark = pytest.mark.django_db


def test_the_demo_puts_people_at_every_stage_with_moves_and_follow_ups(tmp_path: Path) -> None:
    generate_city(seed=1, scale=0.05)
    city = find_demo_city()
    assert city is not None
    path = tmp_path / "voters.txt"
    with open(path, "w", encoding="utf-8", newline="") as out:
        write_demo_voter_file(city, out, seed=1)
    run_import(do_create_import(None, file_path=path, file_name=path.name, layout="ny"))
    create_demo_users(city)
    create_demo_committees(city, seed=1)
    made = create_demo_ladder(city, seed=1)
    assert made is not None
    stages = list(Stage.objects.filter(active=True).order_by("position"))
    assert all(made.stages[s.name] > 0 for s in stages), made.stages
    # The stages come from Actions the demo recorded (and memberships and voter records), not by hand.
    assert (
        not Spell.objects.filter(left_at__isnull=True)
        .exclude(person__actions__isnull=False)
        .exclude(person__voter_records__isnull=False)
        .exists()
    )
    coordinator = User.objects.get(username="coordinator")
    weeks = funnel.movement(coordinator, count=9)
    assert sum(p.up for p in weeks[1:]) > 0 and sum(p.dropped for p in weeks) > 0
    assert queue_visible_to(coordinator).filter(done_at__isnull=True).exists()
    assert {i.kind for i in QueueItem.objects.all()} >= {
        QueueItem.Kind.MOVED_UP,
        QueueItem.Kind.FIRST_MEETING,
    }
    assert (
        Progress.objects.filter(completed_at__isnull=False).count()
        > Progress.objects.filter(completed_at__isnull=True).count()
        > 0
    )
    assert Stage.objects.get(name="Member").rules.filter(kind="curriculum").exists()
    assert "people on the ladder" in made.summary()
