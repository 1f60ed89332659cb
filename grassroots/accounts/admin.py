from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from grassroots.accounts.models import AuditEntry, User


@admin.register(User)
class GrassrootsUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Access", {"fields": ("role", "scope")}))  # type: ignore[misc]
    filter_horizontal = ("scope", "groups", "user_permissions")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb", "object_type")
    readonly_fields = ("at", "actor", "verb", "object_type", "object_id", "details")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
