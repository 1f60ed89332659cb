"""Writes to accounts: second factors and changes of role or permissions, each audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.accounts.two_factor import PENDING_SESSION_KEY, backup_code, stored_code, stored_forms

# Backup codes made at once: each logs in once, for the day the phone is lost.
BACKUP_CODES = 10

# The fields of a user that decide what they may see and do.
ACCESS_FIELDS = ("role", "is_active", "is_staff", "is_superuser", "scope", "groups", "user_permissions")


def do_start_two_factor(user: User) -> TOTPDevice:
    """The device a user is setting up: the same one until they confirm it, so a reload keeps the QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def do_confirm_two_factor(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with its first code, and count this session as verified by it."""
    user = request.user
    assert isinstance(user, User) and device.user_id == user.pk
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_token(token.strip()):
            record_audit(user, AuditEntry.Verb.TWO_FACTOR_FAILED, "user", user.pk, setup=True)
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        # A new authenticator replaces the old one (a lost or changed phone): its codes stop working.
        replaced, _ = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=locked.pk).delete()
        record_audit(user, AuditEntry.Verb.TWO_FACTOR, "user", user.pk, device=locked.name, replaced=replaced)
    _verified(request, locked)
    what = "a new authenticator app replaced the old one" if replaced else "an authenticator app was set up"
    tell_owner(user, what, request.META.get("REMOTE_ADDR", ""))
    return True


def do_make_backup_codes(user: User, address: str = "", *, tell: bool = True) -> list[str]:
    """A new set of BACKUP_CODES single-use codes, replacing the user's earlier set, returned to be
    shown once. ``tell``: e-mail the owner (tell_owner; ``address``: where the request came from),
    not done for the first set, made with the first app, of which they are told already."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    with transaction.atomic():
        # The same device, its codes replaced: a session verified by an earlier code stays verified.
        device = StaticDevice.objects.select_for_update().filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        StaticToken.objects.filter(device__user=user).delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=stored_code(code)) for code in codes)
        record_audit(user, AuditEntry.Verb.BACKUP_CODES, "user", user.pk, made=len(codes))
    if tell:
        tell_owner(user, "a new set of backup codes was made", address)
    return codes


def tell_owner(user: User, what: str, address: str = "") -> None:
    """E-mail the owner of an account that its second factor changed, once the change is committed,
    from the background worker (accounts.tasks). The first authenticator app is trusted on first
    use: someone holding only the password could set up one of their own, and the owner learns of
    it here."""
    if not user.email:
        return
    from grassroots.accounts.tasks import tell_owner_task

    at = f"{timezone.now():%Y-%m-%d %H:%M}"
    transaction.on_commit(lambda: tell_owner_task.enqueue(user.pk, what, at, address))


def do_verify_two_factor(request: HttpRequest, token: str) -> bool:
    """Check a code against the user's confirmed authenticators, or a backup code against their
    backup codes (it is then used up); a match verifies the session."""
    user = request.user
    assert isinstance(user, User)
    code = backup_code(token)
    with transaction.atomic():
        # By its shape, so that a backup code does not count as a wrong code of the authenticator.
        if code is None:
            devices: Any = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            device = next((d for d in devices if d.verify_token(token.strip())), None)
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
            device = next((d for d in devices if d.verify_token(_kept_as(d, code))), None)
            if device is not None:
                left = device.token_set.count()
                record_audit(user, AuditEntry.Verb.BACKUP_CODES, "user", user.pk, used=1, left=left)
        if device is None:
            tried = "backup code" if code is not None else "authenticator"
            record_audit(user, AuditEntry.Verb.TWO_FACTOR_FAILED, "user", user.pk, tried=tried)
            return False
    _verified(request, device)
    return True


def _kept_as(device: StaticDevice, code: str) -> str:
    """The digest of ``code`` that ``device`` keeps, under the present key or a former one; the
    present one's when it keeps none (verify_token then counts a wrong code, once)."""
    forms = stored_forms(code)
    if len(forms) == 1:
        return forms[0]
    kept = set(device.token_set.filter(token__in=forms).values_list("token", flat=True))
    return next((form for form in forms if form in kept), forms[0])


def _verified(request: HttpRequest, device: Device) -> None:
    # A new session key on each step up in trust, as Django does at login.
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


def audit_access_change(
    actor: User | AnonymousUser | None, user: User, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Audit a change of what a user may see or do (their role, flags, scope, groups, permissions),
    given the values of ACCESS_FIELDS before and after it was saved."""
    changes = {
        field: {"from": before.get(field), "to": after.get(field)}
        for field in ACCESS_FIELDS
        if before.get(field) != after.get(field)
    }
    if changes:
        record_audit(actor, AuditEntry.Verb.PERMISSIONS, "user", user.pk, username=user.username, **changes)


def access_of(user: User) -> dict[str, Any]:
    """The values of ACCESS_FIELDS of a saved user, in a form the audit log can keep."""
    if user.pk is None:
        return {}
    return {
        "role": user.role,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "scope": sorted(str(a) for a in user.scope.values_list("public_id", flat=True)),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }
