"""Sign-in, and the home page a person lands on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry
from grassroots.people.models import Action
from grassroots.places.models import Area


@login_required
def home(request: HttpRequest) -> HttpResponse:
    people = access.people_visible_to(request.user)
    scope = list(request.user.scope.all()) if hasattr(request.user, "scope") else []
    context = {
        "people_count": people.count(),
        "scope": scope,
        "sees_all": access.scope_paths(request.user) is access.ALL,
        "recent_actions": Action.objects.filter(person__in=people.values("pk"))
        .select_related("person", "area")
        .order_by("-occurred_at")[:10],
        "roots": Area.objects.filter(parent__isnull=True),
    }
    return render(request, "home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log: administrators see all of it, everyone else their own entries."""
    entries = AuditEntry.objects.select_related("actor")
    if access.scope_paths(request.user) is not access.ALL:
        entries = entries.filter(actor_id=request.user.pk)
    return render(request, "accounts/audit.html", {"entries": entries[:200]})
