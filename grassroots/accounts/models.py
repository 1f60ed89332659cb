"""Users, their roles and the areas they may see, and the audit log of personal data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.places.models import Area


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ORGANIZER = "organizer", _("Organizer")
    COORDINATOR = "coordinator", _("Committee coordinator")
    CANVASSER = "canvasser", _("Canvasser")
    MEMBER = "member", _("Member")


# Roles that may change people (create, edit, tag, merge) within their scope.
EDITOR_ROLES = frozenset({Role.ADMIN, Role.ORGANIZER, Role.COORDINATOR})


class User(AbstractUser):
    """A person who logs in. What they see is decided by accounts.access, from role and scope."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    scope = models.ManyToManyField(
        Area,
        blank=True,
        related_name="scoped_users",
        help_text=_("The areas this user may see, with all inside them."),
    )
    # The person this login belongs to: their own page ("You are not alone") and, when they
    # coordinate a committee, the committee's area added to their scope by accounts.access.
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )

    @property
    def can_edit_people(self) -> bool:
        return self.is_active and (self.is_superuser or self.role in EDITOR_ROLES)


class AuditEntry(models.Model):
    """Who did what to whose personal data, and when. Written by actions and access; never edited."""

    class Verb(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        MERGE = "merge", _("Merged")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        VIEW = "view", _("Viewed")
        SEARCH = "search", _("Searched")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed to log in")
        LOGOUT = "logout", _("Logged out")
        TWO_FACTOR = "two_factor", _("Set up two-factor")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Gave a wrong code")
        BACKUP_CODES = "backup_codes", _("Made or used backup codes")
        PERMISSIONS = "permissions", _("Changed role or permissions")
        PASSWORD = "password", _("Changed password")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_type} {self.object_id}"
