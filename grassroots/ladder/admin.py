from __future__ import annotations

from django.contrib import admin

from grassroots.ladder.models import Curriculum, Rule, Session, Stage


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "match", "follow_up", "active"]
    inlines = [RuleInline]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Curriculum)
class CurriculumAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
    inlines = [SessionInline]
