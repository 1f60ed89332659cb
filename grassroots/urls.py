from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from grassroots.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/setup/", account_views.two_factor_setup, name="two_factor_setup"),
    path("account/2fa/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path("account/2fa/backup-codes/", account_views.two_factor_backup_codes, name="two_factor_backup_codes"),
    # Password reset by email: Django's views, our templates (registration/password_reset_*.html).
    path("account/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
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
