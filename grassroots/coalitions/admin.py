from __future__ import annotations

from django.contrib import admin

from grassroots.coalitions.models import Coalition, Endorsement, Question


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["name", "founded_on", "archived_at"]
    search_fields = ["name"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["candidate", "office", "coalition", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["candidate", "office"]
    raw_id_fields = ["coalition", "proposal"]
    inlines = [QuestionInline]
