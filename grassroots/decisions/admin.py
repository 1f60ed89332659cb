"""The admin reads proposals; it does not change them (a vote's method, dates or result changed
outside decisions.actions would no longer be the vote members cast). Ballots and voter receipts are
deliberately not registered: no admin page may set a secret ballot beside the receipt of the
person who cast it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from grassroots.decisions.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "method", "status", "deadline", "secret"]
    list_filter = ["method", "status", "secret"]
    search_fields = ["title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
