"""Tags as OSDI resources. A tag's name is no personal data: every token reads them all."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.resources.people import _tag
from grassroots.api.schemas import NoticeOut, TagIn, TagOut, TagsOut, TagUpdateIn
from grassroots.api.server import Conflict, entry, require_write, route, user_of
from grassroots.people.models import Tag

TAGS = ["tags"]
FILTERS = {**dates("created_at", "updated_at"), "name": Field("name")}


def tag_json(request: HttpRequest, tag: Tag) -> dict[str, Any]:
    return {
        **hal.stamp(tag.public_id, tag.created_at, tag.updated_at),
        "name": tag.name,
        "_links": {
            "self": hal.href(request, "tags", tag.public_id),
            "osdi:taggings": hal.href(request, "tags", tag.public_id, "taggings"),
        },
    }


@route(["GET"], "/tags", response=TagsOut, summary="List tags", tags=TAGS)
def list_tags(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    user_of(request)
    page = page_of(Tag.objects.order_by("id"), params, FILTERS)
    return hal.collection(request, "tags", page, lambda t: tag_json(request, t), "tags")


@route(["GET"], "/tags/{tag_id}", response=TagOut, summary="Read a tag", tags=TAGS)
def get_tag(request: HttpRequest, tag_id: str) -> dict[str, Any]:
    return tag_json(request, _tag(tag_id))


def find_or_add_tag(request: HttpRequest, name: str) -> Tag:
    user = require_write(request)
    with transaction.atomic():
        tag, created = Tag.objects.get_or_create(name=name.strip())
        if created:
            record_audit(user, AuditEntry.Verb.CREATE, "tag", tag.public_id, name=tag.name, source="api")
    return tag


@route(["POST"], "/tags", response=TagOut, summary="Add a tag (or find the one of that name)", tags=TAGS)
def create_tag(request: HttpRequest, body: TagIn) -> dict[str, Any]:
    return tag_json(request, find_or_add_tag(request, body.name))


def _may_change_tags(request: HttpRequest) -> Any:
    """Renaming or deleting a tag changes people everywhere: only users who see everyone may."""
    user = require_write(request)
    if access.scope_paths(user) is not access.ALL:
        raise PermissionDenied("Only users who see every area may rename or delete tags.")
    return user


def rename_tag(request: HttpRequest, tag: Tag, name: str | None) -> Tag:
    user = _may_change_tags(request)
    if name and name.strip() != tag.name:
        if Tag.objects.filter(name=name.strip()).exclude(pk=tag.pk).exists():
            raise Conflict("Another tag has that name.")
        with transaction.atomic():
            before = tag.name
            tag.name, tag.updated_at = name.strip(), timezone.now()
            tag.save(update_fields=["name", "updated_at"])
            record_audit(user, AuditEntry.Verb.UPDATE, "tag", tag.public_id, before=before, source="api")
    return tag


def remove_tag(request: HttpRequest, tag: Tag) -> None:
    user = _may_change_tags(request)
    with transaction.atomic():
        record_audit(
            user, AuditEntry.Verb.DELETE, "tag", tag.public_id, name=tag.name, people=tag.people.count()
        )
        tag.delete()


@route(["PUT"], "/tags/{tag_id}", response=TagOut, summary="Rename a tag", tags=TAGS)
def update_tag(request: HttpRequest, tag_id: str, body: TagUpdateIn) -> dict[str, Any]:
    _may_change_tags(request)
    return tag_json(request, rename_tag(request, _tag(tag_id), body.name))


@route(["DELETE"], "/tags/{tag_id}", response=NoticeOut, summary="Delete a tag", tags=TAGS)
def delete_tag(request: HttpRequest, tag_id: str) -> dict[str, Any]:
    _may_change_tags(request)
    remove_tag(request, _tag(tag_id))
    return hal.notice("tag")


entry("tags", "tags", "The collection of tags in the system")
