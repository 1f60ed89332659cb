"""OSDI's HAL+JSON conventions: links, curies, identifiers, dates and pages of a collection.

Every resource has ``identifiers`` (``NAMESPACE:uuid``, the namespace being the setting
OSDI_NAMESPACE), ``created_date`` and ``modified_date``, and ``_links`` whose ``self`` href ends
with the bare id. A collection is one page: ``total_pages``, ``total_records``, ``page``,
``per_page``, ``next``/``previous`` links, a list of links to its members and the members
themselves under ``_embedded`` (an empty list past the last page, never an error).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest

PREFIX = "/api/v2"
ORIGIN_SYSTEM = "grassroots"


def base_url(request: HttpRequest) -> str:
    """The API's root URL as the client reached it (scheme, host and port included)."""
    return request.build_absolute_uri(PREFIX)


def href(request: HttpRequest, *parts: object) -> dict[str, str]:
    return {"href": "/".join([base_url(request), *(str(p) for p in parts)])}


def curies(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"name": "osdi", "href": request.build_absolute_uri(f"{PREFIX}/docs") + "#{rel}", "templated": True}
    ]


def identifiers(public_id: uuid.UUID | str) -> list[str]:
    return [f"{settings.OSDI_NAMESPACE}:{public_id}"]


def osdi_date(moment: datetime | None) -> str | None:
    """An ISO 8601 date in UTC with a Z, as the spec writes them."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(public_id: uuid.UUID, created: datetime, modified: datetime | None) -> dict[str, Any]:
    """The fields every resource starts with."""
    return {
        "identifiers": identifiers(public_id),
        "origin_system": ORIGIN_SYSTEM,
        "created_date": osdi_date(created),
        "modified_date": osdi_date(modified or created),
    }


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total_records: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_records / self.per_page) if self.per_page else 0


def clamp_per_page(per_page: int | None) -> int:
    limit = settings.OSDI_MAX_PAGESIZE
    return limit if per_page is None else max(1, min(per_page, limit))


def paginate(queryset: QuerySet[Any], page: int, per_page: int | None) -> Page:
    """One page of a queryset (which must be ordered); a page past the end is empty.

    The page's keys are read first and then only those rows, with what they bring along
    (select_related, prefetches): skipping to page 4,000 walks 100,000 entries of a narrow index
    rather than 100,000 whole rows and their joins. The total is counted only when the page does
    not tell it: a first page that is not full holds every record, a last page ends the count.
    """
    size = clamp_per_page(per_page)
    start = (page - 1) * size
    keys = list(queryset.values_list("pk", flat=True)[start : start + size])
    # A page that is not full ends the collection (unless it lies past the end).
    ends_collection = len(keys) < size and (bool(keys) or start == 0)
    total = start + len(keys) if ends_collection else queryset.count()
    by_key = {item.pk: item for item in queryset.filter(pk__in=keys)} if keys else {}
    items = [by_key[key] for key in keys if key in by_key]
    return Page(items, page, size, total)


def collection(
    request: HttpRequest,
    rel: str,
    page: Page,
    serialize: Callable[[Any], dict[str, Any]],
    *path: object,
) -> dict[str, Any]:
    """A page of a collection as OSDI writes it, with members under ``_embedded["osdi:REL"]``."""
    members = [serialize(item) for item in page.items]
    self_link = href(request, *path)

    def page_link(number: int) -> dict[str, str]:
        query = {k: v for k, v in request.GET.items() if k not in {"page", "osdi-api-token"}}
        query["page"] = str(number)
        return {"href": f"{self_link['href']}?{urlencode(query)}"}

    links: dict[str, Any] = {"self": self_link}
    if page.page < page.total_pages:
        links["next"] = page_link(page.page + 1)
    if page.page > 1:
        links["previous"] = page_link(min(page.page - 1, max(page.total_pages, 1)))
    links[f"osdi:{rel}"] = [{"href": m["_links"]["self"]["href"]} for m in members]
    links["curies"] = curies(request)
    return {
        "total_pages": page.total_pages,
        "per_page": page.per_page,
        "page": page.page,
        "total_records": page.total_records,
        "_links": links,
        "_embedded": {f"osdi:{rel}": members},
    }


def notice(what: str) -> dict[str, str]:
    return {"notice": f"This {what} was successfully deleted."}


def id_from_href(value: object) -> str:
    """The bare id at the end of a resource's href (or the id itself)."""
    return str(value or "").rstrip("/").rsplit("/", 1)[-1]


def linked_id(links: dict[str, Any] | None, rel: str) -> str:
    """The id of the resource a request body links to under ``rel`` ("osdi:person")."""
    target = (links or {}).get(rel)
    if isinstance(target, list):
        target = target[0] if target else None
    return id_from_href(target.get("href") if isinstance(target, dict) else target)


def public_ids(objects: Iterable[Model]) -> list[str]:
    return [str(getattr(o, "public_id", "")) for o in objects]
