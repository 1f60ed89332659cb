"""The OData filter subset of OSDI: ``field op 'value'`` joined by ``and``/``or``, with brackets.

Operators: eq ne gt ge lt le. Each resource says which fields it filters and how a field maps
onto the database (a lookup path, or a function building a Q for fields such as an email
address that live in another table). A filter this module cannot read raises FilterError,
which the API answers with 400 naming the ``filter`` parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.db.models import Q

from grassroots.lib.moments import NotAMoment, read_moment

OPERATORS = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}

_TOKEN = re.compile(
    r"\s*(?:(?P<open>\()|(?P<close>\))|'(?P<quoted>(?:[^']|'')*)'|\"(?P<dquoted>[^\"]*)\"|(?P<word>[^\s()'\"]+))"
)


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    """How one OSDI field filters: a lookup path and a value parser, or a function making the Q."""

    path: str = ""
    kind: str = "text"  # text | date | bool
    build: Callable[[str, Any], Q] | None = None  # (django lookup, value) -> Q


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise FilterError(f"Cannot read the filter near “{text[pos : pos + 20]}”.")
        pos = match.end()
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "quoted":
            value = value.replace("''", "'")
        tokens.append(("value" if kind in {"quoted", "dquoted"} else kind, value))
    return tokens


def _value(field: Field, raw: str) -> Any:
    if field.kind == "date":
        # A time without a zone is local time, as when a client writes one: an event is then
        # found by the very time it was created with.
        try:
            return read_moment(raw).astimezone(UTC)  # as the database compares it
        except NotAMoment as exc:
            raise FilterError(f"“{raw}” {exc}.") from None
    if field.kind == "bool":
        if raw.lower() not in {"true", "false"}:
            raise FilterError(f"“{raw}” is not true or false.")
        return raw.lower() == "true"
    return raw


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], fields: dict[str, Field]) -> None:
        self.tokens, self.fields, self.pos = tokens, fields, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FilterError("The filter ends too soon.")
        self.pos += 1
        return token

    def expression(self) -> Q:
        query = self.conjunction()
        while (token := self.peek()) is not None and token == ("word", "or"):
            self.take()
            query = query | self.conjunction()
        return query

    def conjunction(self) -> Q:
        query = self.term()
        while (token := self.peek()) is not None and token == ("word", "and"):
            self.take()
            query = query & self.term()
        return query

    def term(self) -> Q:
        kind, value = self.take()
        if kind == "open":
            query = self.expression()
            if self.take()[0] != "close":
                raise FilterError("A bracket is not closed.")
            return query
        if kind != "word":
            raise FilterError("A condition must start with a field name.")
        field = self.fields.get(value)
        if field is None:
            known = ", ".join(sorted(self.fields))
            raise FilterError(f"Cannot filter on “{value}”; the fields are: {known}.")
        op_kind, op = self.take()
        if op_kind != "word" or op.lower() not in OPERATORS:
            raise FilterError(f"“{op}” is not one of eq, ne, gt, ge, lt, le.")
        value_kind, raw = self.take()
        if value_kind not in {"value", "word"}:
            raise FilterError("A condition must end with a value.")
        parsed = _value(field, raw)
        lookup = OPERATORS[op.lower()]
        if field.build is not None:
            query = field.build(lookup, parsed)
        else:
            if field.kind == "text" and lookup == "exact":
                lookup = "iexact"
            query = Q(**{f"{field.path}__{lookup}": parsed})
        return ~query if op.lower() == "ne" else query


def parse_filter(text: str | None, fields: dict[str, Field]) -> Q:
    """The Q for an OData filter over these fields (an empty filter selects everything)."""
    if not text or not text.strip():
        return Q()
    if "\x00" in text:  # PostgreSQL cannot compare text with a NUL in it
        raise FilterError("The filter holds a NUL character.")
    parser = _Parser(_tokens(text), fields)
    query = parser.expression()
    if parser.peek() is not None:
        raise FilterError(f"Unexpected “{parser.peek()[1]}” in the filter.")  # type: ignore[index]
    return query


def dates(created: str, modified: str) -> dict[str, Field]:
    """The two date fields every resource filters on."""
    return {"created_date": Field(created, "date"), "modified_date": Field(modified, "date")}


__all__ = ["Field", "FilterError", "date", "dates", "parse_filter"]
