from __future__ import annotations

from django.contrib import admin

from grassroots.places.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    readonly_fields = ("public_id", "path", "depth")
