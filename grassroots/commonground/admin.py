from __future__ import annotations

from django.contrib import admin

from grassroots.commonground.models import Round, Statement

# StatementVote is not registered: how a participant voted is theirs and the count's alone.


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "struggle", "coalition", "opened_at", "closed_at"]
    search_fields = ["title"]
    raw_id_fields = ["committee", "struggle", "coalition"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text", "round", "created_at", "hidden_at"]
    search_fields = ["text"]
    raw_id_fields = ["round", "author"]
