"""What every collection route shares: its query parameters, filtering and paging."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import ConfigDict, Field

from grassroots.api import hal
from grassroots.api.odata import Field as FilterField
from grassroots.api.odata import parse_filter


class ListQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    page: int = Field(1, ge=1, le=2**31, description="Which page, from 1; past the last it is empty.")
    per_page: int | None = Field(None, ge=1, le=2**31, description="Records per page, at most max_pagesize.")
    filter: str | None = Field(None, max_length=2000, description="OData: modified_date gt '2026-01-01'")
    dollar_filter: str | None = Field(
        None, alias="$filter", max_length=2000, description="The same as filter."
    )


def page_of(queryset: QuerySet[Any], params: ListQuery, fields: dict[str, FilterField]) -> hal.Page:
    query = parse_filter(params.filter or params.dollar_filter, fields)
    return hal.paginate(queryset.filter(query), params.page, params.per_page)
