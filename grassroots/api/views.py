"""The page where a user makes and revokes their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.models import User
from grassroots.api.actions import do_create_token, do_revoke_token
from grassroots.api.models import ApiToken


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    new_token = None
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if "\x00" in name:
            # PostgreSQL keeps no text with a NUL character in it: refused here, not a 500 there.
            messages.error(request, _("A token's name cannot hold a NUL character."))
            status = 400
        else:
            read_only = bool(request.POST.get("read_only"))
            new_token = do_create_token(user, user, name, read_only=read_only)[1]
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    response = render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "new_token": new_token, "base_url": request.build_absolute_uri("/api/v2")},
        status=status,
    )
    if new_token is not None:
        add_never_cache_headers(response)  # a secret shown once, never kept by a browser or proxy
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    token = ApiToken.objects.filter(
        user=user, public_id=access.parse_public_id(request.POST.get("token"))
    ).first()
    if token is None:
        raise Http404("No such token.")
    do_revoke_token(user, token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api_tokens")
