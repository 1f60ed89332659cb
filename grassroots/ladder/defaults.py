"""The default ladder: voter → contacted → supporter → volunteer → member → committee member → organizer.

Seeded by a migration into a database without stages, and again by ``seed_default_ladder()`` where
a database was emptied since (the demo's ``--fresh``, tests that flush every table). Organizers
change it on the Stages and rules page.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as installed_apps

# Kinds written by canvassing, committees and events (events.models names its own).
SUPPORT_KINDS = [
    "signup", "rsvp", "petition", "attended", "meeting_attended", "donation",
    "event_rsvp", "event_attended", "petition_signed", "form_submitted",
]  # fmt: skip
MEETING_KINDS = ["meeting_attended", "attended", "event_attended"]
VOLUNTEER_KINDS = ["volunteered", "shift_led", "project_signup"]
MEMBER_KINDS = ["membership", "membership_signup", "dues_paid"]

STAGES: list[dict[str, Any]] = [
    {
        "name": "Voter", "position": 10, "follow_up": False,
        "description": "On the voter roll.",
        "rules": [("voter_record", {"on_roll": True})],
    },
    {
        "name": "Contacted", "position": 20, "follow_up": False,
        "description": "Someone talked with them at the door.",
        "rules": [("actions", {"kinds": ["door_knock"], "count": 1, "window_days": 0, "result": "contact"})],
    },
    {
        "name": "Supporter", "position": 30, "follow_up": True,
        "description": "Said yes: support of 4 or 5 at the door, wants to get involved, signed up or came.",
        "rules": [
            ("door_answer", {"question": "support", "at_least": 4}),
            ("door_answer", {"question": "involved", "equals": True}),
            ("actions", {"kinds": SUPPORT_KINDS, "count": 1, "window_days": 0}),
        ],
    },
    {
        "name": "Volunteer", "position": 40, "follow_up": True,
        "description": "Gives time: canvassed or volunteered in 6 months, or came to 2 meetings in 60 days.",
        "rules": [
            ("actions", {"kinds": VOLUNTEER_KINDS, "count": 1, "window_days": 180}),
            ("canvassed", {"count": 1, "window_days": 180}),
            ("actions", {"kinds": MEETING_KINDS, "count": 2, "window_days": 60}),
        ],
    },
    {
        "name": "Member", "position": 50, "follow_up": True,
        "description": "Joined the organization.",
        "rules": [("actions", {"kinds": MEMBER_KINDS, "count": 1, "window_days": 0})],
    },
    {
        "name": "Committee member", "position": 60, "follow_up": True,
        "description": "In a committee today.",
        "rules": [("committee", {"roles": []})],
    },
    {
        "name": "Organizer", "position": 70, "follow_up": True,
        "description": "Runs a committee, or led 2 canvass shifts in the last 6 months.",
        "rules": [
            ("committee", {"roles": ["coordinator", "organizer"]}),
            ("actions", {"kinds": ["shift_led"], "count": 2, "window_days": 180}),
        ],
    },
]  # fmt: skip


def seed_default_ladder(apps: Any = installed_apps) -> int:
    """Create the default stages and rules if there are no stages at all; returns how many were made.

    ``apps`` is a migration's app registry (its historical models), or the installed apps.
    """
    stage_model = apps.get_model("ladder", "Stage")
    rule_model = apps.get_model("ladder", "Rule")
    if stage_model.objects.exists():
        return 0
    for data in STAGES:
        stage = stage_model.objects.create(
            name=data["name"],
            position=data["position"],
            follow_up=data["follow_up"],
            description=data["description"],
            match="any",
        )
        for kind, params in data["rules"]:
            rule_model.objects.create(stage=stage, kind=kind, params=params)
    return len(STAGES)
