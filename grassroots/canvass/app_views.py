"""The canvass app: a canvasser's turfs, and the page that walks one of them with or without a connection.

The page loads everything it needs for a turf once (``turf_app_data``), keeps it in the phone's
IndexedDB and records visits there; the service worker (``service_worker``) keeps the page and its
files so that it opens again offline. Visits reach the server through ``views.sync_visits``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass import scripts
from grassroots.canvass.actions import do_leave_shift, do_sign_up, shifts_open_to
from grassroots.canvass.models import Turf, TurfDoor, Visit
from grassroots.people.consent import refusing

# Door results after which the door stays on the list to be knocked again.
REVISIT_RESULTS = frozenset({Visit.Result.NOT_HOME, Visit.Result.COME_BACK})

SERVICE_WORKER = "grassroots/canvass-sw.js"


def _assigned_turf(user: User, public_id: str) -> Turf:
    """The turf if it is assigned to this user, else 404: a turf someone else walks does not exist here."""
    turf = (
        Turf.objects.filter(public_id=access.parse_public_id(public_id), canvassers=user)
        .select_related("universe")
        .first()
    )
    if turf is None:
        raise Http404("No such turf.")
    return turf


@login_required
def my_turfs(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    turfs = (
        Turf.objects.filter(canvassers=user)
        .select_related("universe", "shift")
        .annotate(door_count=Count("doors"))
        .order_by("universe__name", "number")
    )
    shifts = shifts_open_to(user).annotate(signed_up=Count("canvassers")).prefetch_related("canvassers")
    return render(request, "canvass/my_turfs.html", {"turfs": turfs, "shifts": shifts})


@login_required
@require_POST
def shift_sign_up(request: HttpRequest, public_id: str) -> HttpResponse:
    """POST "leave" to leave the shift, anything else to sign up for it."""
    user = request.user
    assert isinstance(user, User)
    shift = shifts_open_to(user).filter(public_id=access.parse_public_id(public_id)).first()
    if shift is None:
        raise Http404("No such shift.")
    if "leave" in request.POST:
        do_leave_shift(user, shift)
        messages.success(request, _("You left the shift."))
    else:
        try:
            do_sign_up(user, shift)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are signed up; an organizer will give you a turf."))
    return redirect("canvass_my_turfs")


@login_required
@ensure_csrf_cookie
def turf_app(request: HttpRequest, public_id: str) -> HttpResponse:
    """The app's page: a shell the script fills from IndexedDB, so it works the same offline."""
    user = request.user
    assert isinstance(user, User)
    turf = _assigned_turf(user, public_id)
    return render(request, "canvass/app.html", {"turf": turf})


@login_required
@require_GET
def turf_app_data(request: HttpRequest, public_id: str) -> JsonResponse:
    """Everything the app needs to walk a turf: its doors in walking order with the people the
    canvasser may see there and each door's latest result, the door results and the script."""
    user = request.user
    assert isinstance(user, User)
    turf = _assigned_turf(user, public_id)
    doors = list(TurfDoor.objects.filter(turf=turf).select_related("household").order_by("position", "id"))
    household_ids = [d.household_id for d in doors]
    residents: dict[int, list[dict[str, str | bool]]] = defaultdict(list)
    names = ("public_id", "first_name", "middle_name", "last_name", "suffix", "household_id")
    people = list(access.people_visible_to(user).filter(household_id__in=household_ids).only(*names))
    refused = refusing(p.pk for p in people)
    for person in people:
        assert person.household_id is not None
        residents[person.household_id].append(
            {"id": str(person.public_id), "name": person.full_name, "do_not_contact": person.pk in refused}
        )
    latest: dict[int, Visit] = {}
    for visit in Visit.objects.filter(turf=turf).only("household_id", "result", "visited_at"):
        seen = latest.get(visit.household_id)
        if seen is None or visit.visited_at > seen.visited_at:
            latest[visit.household_id] = visit
    payload = {
        "turf": {
            "id": str(turf.public_id),
            "number": turf.number,
            "universe": turf.universe.name,
        },
        "doors": [
            {
                "household": str(d.household.public_id),
                "position": d.position,
                "address": d.household.address_line,
                "unit": d.household.unit,
                "people": residents.get(d.household_id, []),
                "last_result": latest[d.household_id].result if d.household_id in latest else None,
            }
            for d in doors
        ],
        "results": [
            {"value": value, "label": str(label), "revisit": value in REVISIT_RESULTS}
            for value, label in Visit.Result.choices
        ],
        "script": scripts.for_app(scripts.script_for(turf.universe)),
        "fetched_at": timezone.now().isoformat(),
    }
    # The names of the turf's residents leave the server here, as they do on the walk list.
    record_audit(user, AuditEntry.Verb.VIEW, "walk_list", turf.public_id, doors=len(doors), source="app")
    return JsonResponse(payload)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker's script, served under /canvass/ so that it may control the app's pages
    (a worker controls only the paths under its own URL, and static files live elsewhere)."""
    path = finders.find(SERVICE_WORKER)
    if not path or isinstance(path, list):
        raise Http404("No service worker.")
    with open(path, encoding="utf-8") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    # The browser checks for a new worker on each visit; never let a cache hold an old one.
    response["Cache-Control"] = "no-cache"
    return response
