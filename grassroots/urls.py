from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from grassroots.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", account_views.audit_log, name="audit_log"),
    path("places/", include("grassroots.places.urls")),
    path("people/", include("grassroots.people.urls")),
    path("voters/", include("grassroots.voters.urls")),
    path("results/", include("grassroots.results.urls")),
    path("canvass/", include("grassroots.canvass.urls")),
    path("committees/", include("grassroots.committees.urls")),
    path("struggles/", include("grassroots.struggles.urls")),
    path("decisions/", include("grassroots.decisions.urls")),
    path("ladder/", include("grassroots.ladder.urls")),
    path("events/", include("grassroots.events.urls")),
    path("coalitions/", include("grassroots.coalitions.urls")),
    path("commonground/", include("grassroots.commonground.urls")),
    path("", include("grassroots.coalitions.public_urls")),
    path("", include("grassroots.events.public_urls")),
    path("", include("grassroots.api.urls")),
    path("admin/", admin.site.urls),
]
