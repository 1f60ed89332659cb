"""The pages anyone may open without logging in: an event with its RSVP form, a sign-up form or
petition (also embeddable in another site), an RSVP's own cancel link, and the calendar files.

None of them shows anyone's name: not the hosts', not who else is coming, not who shared the link.
Each sign-up passes the spam checks first (events.spam); a bot filling the honeypot is shown the
same thank-you page as a person, so it learns nothing, and nothing is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from grassroots.accounts import access
from grassroots.events import actions, spam
from grassroots.events.calendar import events_calendar
from grassroots.events.forms import RsvpForm, SubmissionForm
from grassroots.events.models import RSVP, Event, SignupForm


def _share_url(request: HttpRequest, path: str, code: str) -> str:
    return request.build_absolute_uri(f"{path}?ref={code}")


def _refused(request: HttpRequest) -> str:
    """Why this sign-up is refused before anything is read: too many from this address, else ""."""
    if spam.over_limit(request):
        return _("Too many sign-ups from your connection. Please try again in an hour.")
    return ""


def _event_context(event: Event, form: RsvpForm | None, ref: str) -> dict[str, Any]:
    shifts = [(s, actions.seats_left(event, s)) for s in event.shifts.all()]
    return {
        "event": event,
        "form": form,
        "ref": ref,
        "closed": actions.closed_reason(event),
        "full": actions.is_full(event),
        "seats_left": actions.seats_left(event),
        "shifts": shifts,
        "sponsors": event.sponsors.all(),
    }


def public_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("area"), slug=slug)
    ref = (request.POST.get("ref") or request.GET.get("ref") or "")[:16]
    form = RsvpForm(request.POST or None, event=event)
    context = _event_context(event, form, ref)
    if request.method != "POST":
        return render(request, "events/public_event.html", context)
    refused = _refused(request)
    if refused:
        return render(request, "events/public_event.html", {**context, "refused": refused}, status=429)
    if spam.is_bot(request):
        return render(request, "events/public_thanks.html", {"event": event, "status": RSVP.Status.GOING})
    if context["closed"] or not form.is_valid():
        return render(request, "events/public_event.html", context)
    try:
        outcome = actions.do_rsvp(
            event, form.arrival(), shift=form.cleaned_data.get("shift"), referral_code=ref, source="web"
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "events/public_event.html", _event_context(event, form, ref))
    rsvp = outcome.rsvp
    path = reverse("public_event", kwargs={"slug": event.slug})
    # Anyone may type anyone's address: the page answers as it would a new RSVP, so that it
    # says nothing of whether that person had answered, and holds no link to cancel (a link in
    # the page would let whoever typed the address give up that person's seat). The link to
    # cancel comes with the emails sent to the address (reminder, place on the waitlist).
    if outcome.created:
        status = rsvp.status
    else:
        status = RSVP.Status.WAITLISTED if actions.is_full(event, rsvp.shift) else RSVP.Status.GOING
    thanks = {
        "event": event,
        "status": status,
        "share_url": _share_url(request, path, actions.referral_code_for(rsvp.person)),
    }
    return render(request, "events/public_thanks.html", thanks)


def public_rsvp_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The link in a confirmation or a reminder: whoever holds it may give up that seat."""
    uid = access.parse_public_id(public_id)
    rsvp = RSVP.objects.filter(public_id=uid).select_related("event").first()
    if rsvp is None:
        raise Http404("No such RSVP.")
    done = False
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.do_cancel_rsvp(None, rsvp)
        done = True
        rsvp.refresh_from_db()
    return render(request, "events/public_cancel.html", {"rsvp": rsvp, "event": rsvp.event, "done": done})


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def public_event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    return _calendar_response(events_calendar([event], event.title), f"{event.slug}.ics")


def public_events_feed(request: HttpRequest) -> HttpResponse:
    """The listed events from a day ago on, for anyone's calendar app to subscribe to."""
    since = timezone.now() - datetime.timedelta(days=1)
    events = Event.objects.filter(listed=True, ends_at__gte=since).order_by("starts_at")[:500]
    return _calendar_response(events_calendar(events, _("Upcoming events")), "events.ics")


def _form_page(request: HttpRequest, slug: str, template: str) -> HttpResponse:
    signup_form = get_object_or_404(SignupForm, slug=slug)
    ref = (request.POST.get("ref") or request.GET.get("ref") or "")[:16]
    form = SubmissionForm(request.POST or None, signup_form=signup_form)
    context: dict[str, Any] = {
        "signup_form": signup_form,
        "form": form,
        "ref": ref,
        "embedded": template.endswith("embed.html"),
        "count": signup_form.submissions.count(),
    }
    if request.method != "POST":
        return render(request, template, context)
    refused = _refused(request)
    if refused:
        return render(request, template, {**context, "refused": refused}, status=429)
    if spam.is_bot(request):
        return render(request, template, {**context, "thanks": True, "form": None})
    if not signup_form.is_open or not form.is_valid():
        return render(request, template, context)
    try:
        outcome = actions.do_submit_form(signup_form, form.arrival(), form.answers(), referral_code=ref)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, template, context)
    path = reverse("public_form", kwargs={"slug": signup_form.slug})
    code = actions.referral_code_for(outcome.submission.person)
    return render(
        request,
        template,
        {
            **context,
            "form": None,
            "thanks": True,
            "count": signup_form.submissions.count(),
            "share_url": _share_url(request, path, code),
        },
    )


def public_form(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, slug, "events/public_form.html")


@xframe_options_exempt
@csp_replace({"frame-ancestors": None})  # type: ignore[arg-type]  # partners' sites frame it, as with X-Frame-Options above
@csrf_exempt
def public_form_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The same form without the site's frame, for an iframe on a partner's site.

    The one view exempt from the clickjacking protection: it holds nothing but the form, and
    framing it is the point. It is exempt from CSRF too, because browsers do not send our CSRF
    cookie into a frame on another site, and a forged submission could do nothing a visitor
    cannot: the view never reads who is logged in, and the spam checks still apply.
    """
    return _form_page(request, slug, "events/public_form_embed.html")


def embed_snippet(signup_form: SignupForm) -> str:
    url = settings.SITE_URL + reverse("public_form_embed", kwargs={"slug": signup_form.slug})
    title = escape(signup_form.title)
    return f'<iframe src="{url}" width="100%" height="720" style="border:0" title="{title}"></iframe>'
