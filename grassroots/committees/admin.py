from __future__ import annotations

from django.contrib import admin

from grassroots.committees.models import Committee


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "founded_on", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["name", "area__name"]
    raw_id_fields = ["area", "parent"]
