"""Two-factor authentication: who must give a code after their password, and the gate that waits for it.

A password alone logs a user in as far as Django is concerned; django-otp's middleware then says
whether the session was also verified with a TOTP code (``request.user.is_verified()``). The
middleware here keeps a user who needs that code on the two-factor pages until they give it:
administrators and organizers always (when ``REQUIRE_2FA`` is on), anyone else once they have
turned it on for themselves.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.models import Role, User

# Roles whose accounts reach everyone's personal data: a stolen password must not be enough.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.ORGANIZER})

BACKUP_CODE_SALT = "grassroots.accounts.backup-code"

# Set at login for a user who turned two-factor on without their role needing it.
PENDING_SESSION_KEY = "two_factor_pending"

# Pages a user waiting for their second factor may still open: the two-factor pages themselves,
# logging out, and the password pages. The API authenticates by token, not by session.
OPEN_URL_NAMES = frozenset(
    {
        "two_factor_setup",
        "two_factor_verify",
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


def role_requires_two_factor(user: User | AnonymousUser) -> bool:
    if not settings.REQUIRE_2FA or not isinstance(user, User):
        return False
    return user.is_superuser or user.role in TWO_FACTOR_ROLES


def needs_second_factor(request: HttpRequest) -> bool:
    """Whether this request's user logged in with a password and still owes a code."""
    user = request.user
    if not user.is_authenticated:
        return False
    owes = role_requires_two_factor(user) or bool(request.session.get(PENDING_SESSION_KEY))
    return owes and not user.is_verified()  # type: ignore[attr-defined]


def has_confirmed_device(user: User) -> bool:
    """Whether the user has a second factor to give: an authenticator app, or backup codes left."""
    return has_authenticator(user) or backup_codes_left(user) > 0


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def backup_code(text: str) -> str | None:
    """A backup code as stored (8 lowercase letters and digits 2-7) from what was typed, in any case,
    with spaces or a dash; None when it cannot be one (an authenticator's code is digits only)."""
    code = "".join(text.split()).replace("-", "").lower()
    if len(code) == 8 and not code.isdigit() and all(c in "abcdefghijklmnopqrstuvwxyz234567" for c in code):
        return code
    return None


def stored_code(code: str, secret: str | None = None) -> str:
    """What is kept of a backup code (``backup_code``'s form): a digest keyed from SECRET_KEY (or
    ``secret``), 16 hex digits as django-otp's token column holds, never the code. A copy of the
    database alone gives neither the codes nor a way to find them by trying."""
    return salted_hmac(BACKUP_CODE_SALT, code, secret=secret, algorithm="sha256").hexdigest()[:16]


def stored_forms(code: str) -> list[str]:
    """The digests a backup code may be kept as: under SECRET_KEY, then under each of
    SECRET_KEY_FALLBACKS, so that codes made before the key was changed go on working."""
    return [stored_code(code), *(stored_code(code, secret) for secret in settings.SECRET_KEY_FALLBACKS)]


def shown_code(code: str) -> str:
    """A backup code as printed for the user: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def qr_code_svg(text: str) -> str:
    """An inline SVG of a QR code, drawn as one path (no image library, no style attribute)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not self._is_open(request):
            return self._send_to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if request.path.startswith(("/api/", "/" + settings.STATIC_URL.lstrip("/"))):
            return True
        try:
            match = resolve(request.path_info)  # the middleware runs before the URL is resolved
        except Resolver404:
            return False
        return match.url_name in OPEN_URL_NAMES

    @staticmethod
    def _send_to_second_factor(request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)
        name = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx's request would follow a redirect and swap the code page into a part of the page;
            # this header, on an empty answer, sends the whole window there instead.
            return HttpResponse(headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
