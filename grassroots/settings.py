"""Settings for grassroots, read from environment variables.

Every setting has a safe default: with nothing set, grassroots runs on an SQLite file
in ``var/`` with DEBUG off. See docs/REFERENCE-settings.md for the full list.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Without SECRET_KEY a random key is made per process: sessions then end at each restart,
# which is safe, and production sets the variable.
SECRET_KEY = os.environ.get("SECRET_KEY") or get_random_secret_key()
# Former keys, separated by spaces: what they signed (sessions, backup codes) is still accepted.
SECRET_KEY_FALLBACKS = os.environ.get("SECRET_KEY_FALLBACKS", "").split()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes
    "csp",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own static files: the API docs page works without reaching a CDN.
    "ninja",
    "grassroots.accounts",
    "grassroots.places",
    "grassroots.people",
    "grassroots.voters",
    "grassroots.results",
    "grassroots.canvass",
    "grassroots.committees",
    "grassroots.struggles",
    "grassroots.decisions",
    "grassroots.ladder",
    "grassroots.events",
    "grassroots.coalitions",
    "grassroots.commonground",
    "grassroots.demo",
    "grassroots.api",
    "grassroots.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "grassroots.accounts.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: keeps a user who must give a second factor on its pages until they do.
    "grassroots.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of authentication (login throttling).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "grassroots.places.context_processors.map_settings",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}"
# A web worker keeps its database connection this many seconds instead of opening one per request
# (on PostgreSQL a connection costs a few milliseconds and a process on the server); 0 closes it.
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=DATABASE_CONN_MAX_AGE > 0,
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # SQLite creates the file but not its folder (var/ in a fresh checkout).
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while the demo loads or an import writes; IMMEDIATE avoids
        # "database is locked" when two writers upgrade their locks at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for another's transaction to end before "database is locked".
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "60")),
    }

# Background jobs (imports) run in `grassroots worker`, which `grassroots demo` starts too.
# TASKS_BACKEND=immediate runs them inside the request instead (the tests do).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", "database")],
    }
}
# Uploaded voter files are kept here while (and after) they are imported.
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", VAR_DIR / "uploads"))
# The largest file an upload form takes: a larger one is refused before anything is kept of it
# (lib.uploads). A whole state's voter file may be larger: `grassroots import voters FILE` has no limit.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(500 * 1000 * 1000)))
FILE_UPLOAD_HANDLERS = [
    "grassroots.lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours, and the login page says until when;
# after AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the names, the address is.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "50"))
AXES_HANDLER = "grassroots.accounts.lockout.NameAndAddressHandler"
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "grassroots.accounts.lockout.lockout_response"

# Two-factor authentication (a TOTP app on a phone): administrators and organizers must give a
# code after their password; every other user may turn it on. Off only for development.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
# The issuer an authenticator app shows beside the account name.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "grassroots")

# A session ends after this many minutes without a request (accounts.sessions moves its expiry on
# while it is used), and when the browser closes.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Password-reset links work this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_HOURS", "2")) * 3600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# HTTPS: behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER tells Django a request came over
# HTTPS; SECURE_SSL_REDIRECT sends plain HTTP there; HSTS tells browsers never to use plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: scripts and styles only from our own files (or a nonce), no plugins, no
# framing. Map tiles come from MAP_TILE_URL's host when one is set.
_TILE_URL = os.environ.get("MAP_TILE_URL", "")
_TILE_ORIGINS = ["/".join(_TILE_URL.split("/")[:3]).replace("{s}", "*")] if "://" in _TILE_URL else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # NONCE: a template may still hold an inline block if it carries nonce="{{ request.csp_nonce }}".
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_TILE_ORIGINS],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only `grassroots collectstatic` needs it; whitenoise serves from the app folders otherwise.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders, so that no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The map draws GeoJSON on a blank background by default; set a tile URL template
# (e.g. of your own tile server) to draw streets under it.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

# Email (event reminders and follow-ups). Without EMAIL_HOST, messages are printed to the console,
# which is what development wants; set EMAIL_HOST (and the rest) to send them through SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "grassroots@localhost")
# The address people reach this site at, for the links in emails (no request to read it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Public sign-ups (RSVPs, forms, petitions) accepted from one client address per hour; more are
# refused with a message, so a bot cannot fill an event or a petition. Counted in Django's cache.
EVENTS_SIGNUPS_PER_HOUR = int(os.environ.get("EVENTS_SIGNUPS_PER_HOUR", "20"))
# Reminders go out this many hours before an event starts (`grassroots events remind`).
EVENTS_REMINDER_HOURS = int(os.environ.get("EVENTS_REMINDER_HOURS", "24"))

# The OSDI API (/api/v2/). Identifiers read "NAMESPACE:uuid"; clients that pick our ids out of
# them by a namespace of their own (Parsons looks for "action_network:") need that name here.
OSDI_NAMESPACE = os.environ.get("OSDI_NAMESPACE", "grassroots")
# Most records one page of a collection holds (OSDI's max_pagesize; Action Network's is 25).
OSDI_MAX_PAGESIZE = int(os.environ.get("OSDI_MAX_PAGESIZE", "25"))
# Requests one API token may make per minute before it is answered 429. Counted in Django's cache.
OSDI_REQUESTS_PER_MINUTE = int(os.environ.get("OSDI_REQUESTS_PER_MINUTE", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
