"""Dates and times that people type and clients send, read without a server error.

Django's parsers return None for text not shaped as a date, but raise ValueError for one shaped
right that does not exist (February 30, 25 o'clock); and a moment at the very ends of the
calendar cannot be stored (the database keeps moments in UTC) nor be given a few hours. Every
reader of such text goes through ``read_moment``, which says which of these it met.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


class NotAMoment(ValueError):
    """Why a text cannot be kept as a moment, as the end of a sentence about it: "is not a date
    and time", "is out of range"."""


def read_moment(text: str) -> datetime.datetime:
    """The aware moment ISO 8601 ``text`` names (a bare date: its midnight), in the local zone
    when it names none. Raises NotAMoment when the text is not a date and time (or names one
    that does not exist), or lies within a year of the ends of the calendar."""
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise NotAMoment("is not a date and time")
    if not datetime.MINYEAR < moment.year < datetime.MAXYEAR:
        raise NotAMoment("is out of range")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
