from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from grassroots.accounts.actions import access_of, audit_access_change
from grassroots.accounts.models import AuditEntry, User


@admin.register(User)
class GrassrootsUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Access", {"fields": ("role", "scope")}))  # type: ignore[misc]
    filter_horizontal = ("scope", "groups", "user_permissions")

    # Role, flags, scope, groups and permissions are saved in two steps (the user, then its
    # many-to-many fields); the change is audited once both are in.
    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        form.access_before = access_of(User.objects.get(pk=obj.pk)) if change else {}  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        audit_access_change(request.user, user, getattr(form, "access_before", {}), access_of(user))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb", "object_type")
    readonly_fields = ("at", "actor", "verb", "object_type", "object_id", "details")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
