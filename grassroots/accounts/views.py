"""Sign-in with its second factor, and the home page a person lands on."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access, two_factor
from grassroots.accounts.actions import (
    do_confirm_two_factor,
    do_make_backup_codes,
    do_start_two_factor,
    do_verify_two_factor,
)
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.people.models import Action
from grassroots.places.models import Area


@login_required
def home(request: HttpRequest) -> HttpResponse:
    people = access.people_visible_to(request.user)
    scope = list(request.user.scope.all()) if hasattr(request.user, "scope") else []
    context = {
        "people_count": people.count(),
        "scope": scope,
        "sees_all": access.scope_paths(request.user) is access.ALL,
        "recent_actions": Action.objects.filter(person__in=people.values("pk"))
        .select_related("person", "area")
        .order_by("-occurred_at")[:10],
        "roots": Area.objects.filter(parent__isnull=True),
    }
    return render(request, "home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log: administrators see all of it, everyone else their own entries."""
    entries = AuditEntry.objects.select_related("actor")
    if access.scope_paths(request.user) is not access.ALL:
        entries = entries.filter(actor_id=request.user.pk)
    return render(request, "accounts/audit.html", {"entries": entries[:200]})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view for the emailed link; the new password is audited."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        address = self.request.META.get("REMOTE_ADDR", "")
        record_audit(user, AuditEntry.Verb.PASSWORD, "user", user.pk, via="reset link", address=address)
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: its QR code and key, then its first code to confirm it. With
    ``replace=1``, a user who has given their second factor adds a new phone in place of the old
    one. The first app confirmed comes with a set of backup codes, shown once."""
    user = request.user
    assert isinstance(user, User)
    replacing = (request.POST.get("replace") or request.GET.get("replace")) == "1"
    if two_factor.has_confirmed_device(user):
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": _next_url(request)}))
        if two_factor.has_authenticator(user) and not replacing:
            left = {"backup_left": two_factor.backup_codes_left(user)}
            return render(request, "accounts/two_factor_on.html", left)
    device = do_start_two_factor(user)
    error = ""
    if request.method == "POST":
        if do_confirm_two_factor(request, device, request.POST.get("token", "")):
            if two_factor.backup_codes_left(user) == 0:
                codes = do_make_backup_codes(user, tell=False)
                return _backup_codes_page(request, codes)
            return HttpResponseRedirect(_next_url(request))
        error = _("That code did not match. Check the phone's clock and type the newest code.")
    context = {
        "qr_svg": two_factor.qr_code_svg(device.config_url),
        "config_url": device.config_url,
        "secret": two_factor.secret_of(device),
        "required": two_factor.role_requires_two_factor(user),
        "replace": replacing,
        "error": error,
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if error else 200)


@login_required
@require_POST
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """A new set of backup codes, shown once; the earlier set stops working."""
    user = request.user
    assert isinstance(user, User)
    if not two_factor.has_authenticator(user) or not user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_factor_setup")
    return _backup_codes_page(request, do_make_backup_codes(user, request.META.get("REMOTE_ADDR", "")))


def _backup_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    context = {"codes": [two_factor.shown_code(code) for code in codes], "next": _next_url(request)}
    response = render(request, "accounts/two_factor_backup_codes.html", context)
    add_never_cache_headers(response)  # codes to be seen once, never kept by a browser or proxy
    return response


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app, asked after the password."""
    user = request.user
    assert isinstance(user, User)
    if not two_factor.has_confirmed_device(user):
        return redirect("two_factor_setup")
    error = ""
    if request.method == "POST":
        if do_verify_two_factor(request, request.POST.get("token", "")):
            return HttpResponseRedirect(_next_url(request))
        error = _(
            "That code did not match. Type the 6-digit code your authenticator app shows now, or a "
            "backup code you have not used; after several wrong codes, wait a minute first."
        )
    context = {"error": error, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context, status=400 if error else 200)
