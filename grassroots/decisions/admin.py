"""The admin shows proposals and their discussion. Ballots and voter receipts are deliberately not
registered: no admin page may set a secret ballot beside the receipt of the person who cast it."""

from __future__ import annotations

from django.contrib import admin

from grassroots.decisions.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "method", "status", "deadline", "secret"]
    list_filter = ["method", "status", "secret"]
    search_fields = ["title"]
    raw_id_fields = ["committee", "struggle", "created_by"]
    readonly_fields = ["result", "opened_at", "opened_on", "closed_at"]
