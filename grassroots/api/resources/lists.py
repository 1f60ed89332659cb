"""Lists and their items, on people's tags: a list is a saved set of people, which in grassroots is a tag.

A list is a people.Tag (the same id under /lists and /tags), an item is a people.Tagging: the
person on the list, with the date they were put on it. ``total_items`` counts only the people the
token's user may see, and items are listed only for them. Adding an item tags the person,
deleting it untags them, through people.actions; creating a list adds the tag (or finds the one
of that name), and renaming or deleting one takes a user who sees every area, as for tags.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources import people as people_resource
from grassroots.api.resources import tags as tags_resource
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.resources.people import TAGGING_FILTERS, _tag, _taggings
from grassroots.api.schemas import ItemIn, ItemOut, ItemsOut, ListIn, ListOut, ListsOut, NoticeOut
from grassroots.api.server import audit, entry, require_write, route, user_of
from grassroots.people.models import Tag, Tagging

Verb = AuditEntry.Verb
TAGS = ["lists"]
FILTERS = {**dates("created_at", "updated_at"), "name": Field("name")}


def list_json(request: HttpRequest, tag: Tag) -> dict[str, Any]:
    return {
        **hal.stamp(tag.public_id, tag.created_at, tag.updated_at),
        "name": tag.name,
        "title": tag.name,
        "total_items": getattr(tag, "total_items", 0),
        "browser_url": request.build_absolute_uri(f"{reverse('people_list')}?{urlencode({'tag': tag.name})}"),
        "_links": {
            "self": hal.href(request, "lists", tag.public_id),
            "osdi:items": hal.href(request, "lists", tag.public_id, "items"),
            "osdi:tag": hal.href(request, "tags", tag.public_id),
        },
    }


def _lists(request: HttpRequest) -> Any:
    people = access.people_visible_to(user_of(request))
    shown = Count("tagging", filter=Q(tagging__person__in=people.values("pk")))
    return Tag.objects.annotate(total_items=shown).order_by("id")


def _list(request: HttpRequest, list_id: str) -> Tag:
    tag = _lists(request).filter(public_id=access.parse_public_id(list_id)).first()
    if tag is None:
        raise Http404("No such list.")
    return tag


@route(["GET"], "/lists", response=ListsOut, summary="List lists", tags=TAGS)
def list_lists(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    page = page_of(_lists(request), params, FILTERS)
    return hal.collection(request, "lists", page, lambda t: list_json(request, t), "lists")


@route(["GET"], "/lists/{list_id}", response=ListOut, summary="Read a list", tags=TAGS)
def get_list(request: HttpRequest, list_id: str) -> dict[str, Any]:
    return list_json(request, _list(request, list_id))


@route(["POST"], "/lists", response=ListOut, summary="Add a list (or find the one of that name)", tags=TAGS)
def create_list(request: HttpRequest, body: ListIn) -> dict[str, Any]:
    require_write(request)
    name = (body.name or body.title or "").strip()
    if not name:
        raise ValidationError({"name": "Give the list a name."})
    tag = tags_resource.find_or_add_tag(request, name)
    return list_json(request, _list(request, str(tag.public_id)))


@route(["PUT"], "/lists/{list_id}", response=ListOut, summary="Rename a list", tags=TAGS)
def update_list(request: HttpRequest, list_id: str, body: ListIn) -> dict[str, Any]:
    tags_resource._may_change_tags(request)
    tag = tags_resource.rename_tag(request, _list(request, list_id), body.name or body.title)
    return list_json(request, _list(request, str(tag.public_id)))


@route(["DELETE"], "/lists/{list_id}", response=NoticeOut, summary="Delete a list", tags=TAGS)
def delete_list(request: HttpRequest, list_id: str) -> dict[str, Any]:
    tags_resource._may_change_tags(request)
    tags_resource.remove_tag(request, _list(request, list_id))
    return hal.notice("list")


# Items: a person on a list


def item_json(request: HttpRequest, tagging: Tagging) -> dict[str, Any]:
    list_id = tagging.tag.public_id
    return {
        **hal.stamp(tagging.public_id, tagging.created_at, tagging.created_at),
        "item_type": "osdi:person",
        "_links": {
            "self": hal.href(request, "lists", list_id, "items", tagging.public_id),
            "osdi:list": hal.href(request, "lists", list_id),
            "osdi:person": hal.href(request, "people", tagging.person.public_id),
        },
    }


def _item(request: HttpRequest, list_id: str, item_id: str) -> Tagging:
    tag = _tag(list_id)
    tagging = _taggings(request).filter(tag=tag, public_id=access.parse_public_id(item_id)).first()
    if tagging is None:
        raise Http404("No such item.")
    return tagging


@route(["GET"], "/lists/{list_id}/items", response=ItemsOut, summary="A list's items", tags=TAGS)
def list_items(request: HttpRequest, list_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    tag = _list(request, list_id)
    page = page_of(_taggings(request).filter(tag=tag), params, TAGGING_FILTERS)
    audit(
        request, Verb.VIEW, "person", "", list=tag.name, shown=[str(t.person.public_id) for t in page.items]
    )
    return hal.collection(request, "items", page, lambda t: item_json(request, t), "lists", list_id, "items")


@route(["GET"], "/lists/{list_id}/items/{item_id}", response=ItemOut, summary="Read an item", tags=TAGS)
def get_item(request: HttpRequest, list_id: str, item_id: str) -> dict[str, Any]:
    tagging = _item(request, list_id, item_id)
    audit(request, Verb.VIEW, "person", tagging.person.public_id, list=tagging.tag.name)
    return item_json(request, tagging)


@route(["POST"], "/lists/{list_id}/items", response=ItemOut, summary="Put a person on a list", tags=TAGS)
def create_item(request: HttpRequest, list_id: str, body: ItemIn) -> dict[str, Any]:
    return item_json(request, people_resource.tag_person(request, _tag(list_id), body))


@route(
    ["DELETE"], "/lists/{list_id}/items/{item_id}", response=NoticeOut, summary="Take a person off a list",
    tags=TAGS,
)  # fmt: skip
def delete_item(request: HttpRequest, list_id: str, item_id: str) -> dict[str, Any]:
    require_write(request)
    people_resource.untag_person(request, _item(request, list_id, item_id))
    return hal.notice("item")


entry("lists", "lists", "The collection of lists in the system")
