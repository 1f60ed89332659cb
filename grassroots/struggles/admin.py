"""Struggles in the admin: for looking things up. Writes happen on the struggle pages through
struggles.actions, so the admin may not delete (which would lose history the pages archive instead)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from grassroots.struggles.models import Grievance, Organization, Struggle


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(NoDelete):
    list_display = ["name", "kind", "parent", "archived_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "created_by"]


@admin.register(Struggle)
class StruggleAdmin(NoDelete):
    list_display = ["title", "target", "status", "started_on", "archived_at"]
    list_filter = ["status"]
    search_fields = ["title", "target__name"]
    raw_id_fields = ["target", "areas", "committees", "created_by"]


@admin.register(Grievance)
class GrievanceAdmin(NoDelete):
    list_display = ["summary", "struggle", "category", "status", "opened_on", "closed_on"]
    list_filter = ["status", "category"]
    raw_id_fields = ["struggle", "person", "household", "area", "created_by"]
