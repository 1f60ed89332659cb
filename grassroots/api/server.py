"""The OSDI API: one NinjaAPI with token auth, per-token rate limits, JSON errors and the entry point.

Resources live in ``grassroots.api.resources``; each registers its routes here through
``route``, which answers with and without a trailing slash (clients write both) and documents
the error answers every route may give.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, APIKeyQuery

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import User
from grassroots.api import hal
from grassroots.api.actions import hash_key
from grassroots.api.models import ApiToken
from grassroots.api.odata import FilterError
from grassroots.api.schemas import AepOut, ErrorOut

DESCRIPTION = """
grassroots speaks OSDI 1.2 (HAL+JSON), the standard Action Network speaks, so the tools organizers
already script with work against it unchanged but for the base URL.

**Authentication.** Create a token under *API tokens* in the web app (or
`grassroots api-token USERNAME [--read-only]`) and send it as the `OSDI-API-Token` header (or the
`osdi-api-token` query parameter). A token sees exactly what its user sees, and a read-only token
cannot change anything.

**Parsons.** Point its Action Network connector at this server:

```python
from parsons import ActionNetwork
from parsons.utilities.api_connector import APIConnector

an = ActionNetwork(api_token="gr_...")
an.api_url = "https://grassroots.example.org/api/v2"
an.api = APIConnector(an.api_url, headers=an.headers)
an.get_people(filter="modified_date gt '2026-01-01'")
```

Collections are paged (`page`, `per_page` up to `max_pagesize`) and filtered with OData
(`filter=email_address eq 'ana@example.org'`; `$filter` works too).
"""


class RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__("Too many requests for this token; wait and try again.")
        self.wait = wait


class Conflict(Exception):
    pass


def _authenticate(request: HttpRequest, key: str | None) -> ApiToken | None:
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    _count(token)
    now = timezone.now()
    # The date of last use is kept to the minute, not written at every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.user = token.user
    return token


def _count(token: ApiToken) -> None:
    """Count the request against the token's allowance for this minute (Django's cache)."""
    limit = settings.OSDI_REQUESTS_PER_MINUTE
    minute = int(time.time() // 60)
    key = f"osdi-rate:{token.pk}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        used = 1
    if used > limit:
        raise RateLimited(60 - int(time.time()) % 60)


class HeaderToken(APIKeyHeader):
    param_name = "OSDI-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiToken | None:
        return _authenticate(request, key)


class QueryToken(APIKeyQuery):
    param_name = "osdi-api-token"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiToken | None:
        return _authenticate(request, key)


api = NinjaAPI(
    title="grassroots OSDI API",
    version="2",
    description=DESCRIPTION,
    auth=[HeaderToken(), QueryToken()],
    urls_namespace="osdi",
)


def token_of(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined]


def user_of(request: HttpRequest) -> User:
    return token_of(request).user


def require_write(request: HttpRequest) -> User:
    """The token's user, if the token may write and the user may change people."""
    token = token_of(request)
    if token.read_only:
        raise PermissionDenied("This token is read-only.")
    if not token.user.can_edit_people:
        raise PermissionDenied("Your role may not change records.")
    return token.user


def audit(request: HttpRequest, verb: str, object_type: str, object_id: object = "", **details: Any) -> None:
    """An audit entry for an API read or write, as the web app writes them, marked as the API's."""
    token = token_of(request)
    record_audit(
        token.user, verb, object_type, object_id, source="api", token=str(token.public_id), **details
    )


def _error(request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": message, **extra}, status=status)


def _field_of(error: dict[str, Any]) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in {"body", "query", "path", "payload", "params"}]
    return ".".join(loc)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    message = f"{field}: {first.get('msg', 'is not valid')}" if field else str(first.get("msg", "Not valid."))
    return _error(request, 400, message, field=field)


@api.exception_handler(FilterError)
def _bad_filter(request: HttpRequest, exc: FilterError) -> HttpResponse:
    return _error(request, 400, str(exc), field="filter")


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    field = ""
    if hasattr(exc, "error_dict"):
        field = next(iter(exc.error_dict), "")
    return _error(request, 400, " ".join(exc.messages), field=field)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Send a valid API token in the OSDI-API-Token header.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Not allowed.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, str(exc))


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, str(exc))
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 405, 409, 429), ErrorOut)


def route(
    methods: list[str], path: str, *, response: Any, summary: str, status: int = 200, tags: list[str]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view at ``path`` and ``path/``; only the first is in the OpenAPI document."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        for suffix, shown in (("", True), ("/", False)):
            api.api_operation(
                methods,
                path + suffix,
                response={status: response, **ERRORS},
                summary=summary,
                tags=tags,
                by_alias=True,
                exclude_none=True,
                include_in_schema=shown,
                operation_id=view.__name__ + ("" if shown else "_slash"),
                url_name=f"osdi_{view.__name__}" + ("" if shown else "_slash"),
            )(view)
        return view

    return decorator


# Rels of the entry point: each resource module adds its collections here as it registers.
ENTRY_LINKS: dict[str, tuple[str, str]] = {}


def entry(rel: str, path: str, title: str) -> None:
    ENTRY_LINKS[rel] = (path, title)


def _aep(request: HttpRequest) -> dict[str, Any]:
    links: dict[str, Any] = {
        "self": {**hal.href(request), "title": "This API entry point"},
        "curies": hal.curies(request),
        "docs": {"href": request.build_absolute_uri(f"{hal.PREFIX}/docs"), "title": "Documentation"},
    }
    for rel, (path, title) in ENTRY_LINKS.items():
        links[f"osdi:{rel}"] = {**hal.href(request, path), "title": title}
    return {
        "motd": "Welcome to the grassroots OSDI API.",
        "vendor_name": "grassroots",
        "product_name": "grassroots",
        "osdi_version": "1.2",
        "max_pagesize": settings.OSDI_MAX_PAGESIZE,
        "namespace": settings.OSDI_NAMESPACE,
        "_links": links,
    }


@api.get(
    "",
    response={200: AepOut, **ERRORS},
    by_alias=True,
    summary="The API entry point",
    tags=["entry"],
    url_name="osdi_aep",
)
def aep(request: HttpRequest) -> dict[str, Any]:
    return _aep(request)
