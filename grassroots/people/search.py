"""Finding people by what a person would type: a name, an email, a phone number, an address."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grassroots.lib.addresses import AddressError, normalize_address
from grassroots.lib.phones import digits
from grassroots.people.models import Person

MAX_WORDS = 8


def people_matching(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Narrow a people queryset to those matching every word of ``text``.

    A word matches a name, an email, a phone number (by its digits, three or more)
    or the household address. Each word is one subquery, so joins never multiply rows.
    An address typed in full ("45 Elm Avenue") also matches its normalized form ("45 ELM AVE").
    """
    by_words = queryset
    for word in text.split()[:MAX_WORDS]:
        match = (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(middle_name__icontains=word)
            | Q(emails__address__icontains=word)
            | Q(household__address_line__icontains=word)
        )
        number = digits(word)
        if len(number) >= 3:
            match |= Q(phones__number__contains=number)
        by_words = by_words.filter(pk__in=Person.objects.filter(match).values("pk"))
    street = _as_street_address(text)
    if street:
        return by_words | queryset.filter(household__address_line__startswith=street)
    return by_words


def _as_street_address(text: str) -> str:
    if not text[:1].isdigit() or len(text.split()) < 2:
        return ""
    try:
        return normalize_address(text).line1
    except AddressError:
        return ""
