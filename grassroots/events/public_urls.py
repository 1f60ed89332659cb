"""The public pages, under /e/ (events) and /f/ (forms and petitions): no login."""

from __future__ import annotations

from django.urls import path

from grassroots.events import public_views

urlpatterns = [
    path("e/feed.ics", public_views.public_events_feed, name="public_events_feed"),
    path("e/rsvp/<str:public_id>/cancel/", public_views.public_rsvp_cancel, name="public_rsvp_cancel"),
    path("e/<slug:slug>/", public_views.public_event, name="public_event"),
    path("e/<slug:slug>/event.ics", public_views.public_event_ics, name="public_event_ics"),
    path("f/<slug:slug>/", public_views.public_form, name="public_form"),
    path("f/<slug:slug>/embed/", public_views.public_form_embed, name="public_form_embed"),
]
