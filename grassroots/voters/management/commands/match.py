"""``grassroots match people``: match the people we know to the voter file and to each other."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.voters.contacts import find_duplicate_people, match_people_to_voters


class Command(BaseCommand):
    help = (
        "Match people not yet tied to a voter record to the voter file, then find people who are "
        "one person. Sure matches are made; possible ones wait in the review queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["people"], help="What to match.")

    def handle(self, *args: Any, **options: Any) -> None:
        voters = match_people_to_voters()
        self.stdout.write(
            f"Voter file: {voters.linked:,} people linked to their voter record, {voters.merged:,} merged "
            f"with the person of their record, {voters.reviews:,} to review."
        )
        people = find_duplicate_people()
        self.stdout.write(f"Duplicates: {people.merged:,} merged, {people.reviews:,} to review.")
