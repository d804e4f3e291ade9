"""Django settings, read from the environment so one build runs in development and production.

`DATABASE_URL` picks the database (SQLite file under `var/` by default, PostgreSQL in production);
`INPRACTICE_ENV=production` turns on the production safeguards.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("INPRACTICE_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("INPRACTICE_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = os.environ.get("INPRACTICE_DEBUG", "0") == "1" and not PRODUCTION

if PRODUCTION and not os.environ.get("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set when INPRACTICE_ENV=production")
SECRET_KEY = os.environ.get("SECRET_KEY", "inpractice-development-only-not-secret")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "inpractice.web",
    "inpractice.accounts",
    "inpractice.schools",
    "inpractice.intake",
    "inpractice.staff",
    "inpractice.jobs",
    "inpractice.coding",
    "inpractice.workspace",
    "inpractice.library",
    "inpractice.reports",
    "inpractice.privacy",
    "inpractice.operations",
    "inpractice.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control: no-store on staff pages and for anyone signed in (docs/security.md).
    "inpractice.accounts.middleware.StaffNoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "inpractice.web.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "inpractice.web.request_guards.RequestGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inpractice.accounts.middleware.SessionExpiryMiddleware",
    "inpractice.privacy.middleware.PersonalDataAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inpractice.urls"
WSGI_APPLICATION = "inpractice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inpractice.web.context.service",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'inpractice.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request reuses it, so web processes carry
        # on after PostgreSQL restarts instead of failing one request each (docs/operating.md).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and a CLI import share the file safely.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it guesses is expensive; the workspace's filters (JSON
    # lists, EXISTS) are guessed so at 100,000 submissions, and compiling took a second of the
    # queue's 1.5 s (bench/workspace_bench.py). Our queries are short: never JIT them.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off " + DATABASES["default"][
        "OPTIONS"
    ].get("options", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (ADR 16, docs/workers.md): django-tasks' database backend, in the same database,
# run by `inpractice worker`. A running job's worker writes a heartbeat every
# JOBS_HEARTBEAT_SECONDS; one silent for JOBS_STALE_AFTER_SECONDS lost its worker and is failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "2"))
JOBS_STALE_AFTER_SECONDS = float(os.environ.get("JOBS_STALE_AFTER_SECONDS", "120"))

# A database cache is shared by every gunicorn worker, so rate limits hold across processes
# without needing Redis. Set CACHE_URL-style Redis in production if preferred.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "inpractice_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
NODE_MODULES = Path(os.environ.get("INPRACTICE_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("accessible-autocomplete", NODE_MODULES / "accessible-autocomplete" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the finders in development and tests so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Email: a file per message under var/mail by default; "console", "smtp" or "notify" by setting.
EMAIL_DELIVERY = os.environ.get("EMAIL_DELIVERY", "file")
EMAIL_BACKEND = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "inpractice.intake.notify_backend.NotifyEmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}[EMAIL_DELIVERY]
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "inpractice@localhost")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

# Public URL used in emailed links (the request's host is used when this is empty).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Rate limits per client address (django-ratelimit syntax). Raise behind a trusted proxy only
# after setting RATELIMIT_IP_META_KEY.
RATELIMIT_SUBMIT = os.environ.get("RATELIMIT_SUBMIT", "30/h")
RATELIMIT_NOMINATE = os.environ.get("RATELIMIT_NOMINATE", "20/h")
# Emails to an address a member of the public typed ("save and come back" links): per draft, and
# per client address, so the service cannot be used to send mail to strangers in bulk.
RATELIMIT_EMAIL_PER_DRAFT = os.environ.get("RATELIMIT_EMAIL_PER_DRAFT", "3/h")
RATELIMIT_EMAIL_PER_CLIENT = os.environ.get("RATELIMIT_EMAIL_PER_CLIENT", "10/h")
# Invitations to nominated schools (docs/submitting.md): per call and per client address, on top
# of three a day per nomination; and how many days an emailed invitation link works.
RATELIMIT_INVITE_PER_CALL = os.environ.get("RATELIMIT_INVITE_PER_CALL", "200/h")
RATELIMIT_INVITE_PER_CLIENT = os.environ.get("RATELIMIT_INVITE_PER_CLIENT", "100/h")
INVITATION_LINK_DAYS = int(os.environ.get("INVITATION_LINK_DAYS", "60"))
# How long a colleague's link to contribute to a shared response works (intake/sharing.py).
CONTRIBUTOR_LINK_DAYS = int(os.environ.get("CONTRIBUTOR_LINK_DAYS", "30"))
# Case studies: the submitter's emailed link to approve the draft (docs/library.md). How many days
# they have to answer; whether a case study may be published when that time passes with no answer
# (moderators see that it was); how often one client may open or answer such links.
LIBRARY_SUBMITTER_REVIEW_DAYS = int(os.environ.get("LIBRARY_SUBMITTER_REVIEW_DAYS", "14"))
LIBRARY_PUBLISH_WITHOUT_SUBMITTER_ANSWER = os.environ.get(
    "LIBRARY_PUBLISH_WITHOUT_SUBMITTER_ANSWER", "no"
).lower() in ("1", "yes", "true")
RATELIMIT_SUBMITTER_REVIEW = os.environ.get("RATELIMIT_SUBMITTER_REVIEW", "60/h")
RATELIMIT_VIEW = "inpractice.web.views.rate_limited"
CSRF_FAILURE_VIEW = "inpractice.web.views.csrf_failure"
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Any request body, file uploads included, larger than this is refused unread (413).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(10 * 1000 * 1000)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Staff sign-in, sessions and secure headers (docs/security.md) ------------------------------

# scrypt is memory-hard (about 16 MiB per guess) and ships with Django and Python's OpenSSL, so
# it needs no extra package (argon2-cffi is not in the lock file). PBKDF2 stays second so older
# hashes still verify; Django re-hashes them with scrypt at the next successful sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# django-axes counts failed sign-ins per email address and client address, and locks that pair
# out for a cool-off time (the lockout page says how long). Keyed on the pair, so one person
# guessing cannot lock a colleague out from another office.
AUTHENTICATION_BACKENDS = [
    "inpractice.accounts.backends.WebSignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And however the attempts are spread over email addresses, one client address may try to sign
# in at most this often (django-ratelimit syntax).
RATELIMIT_SIGN_IN = os.environ.get("RATELIMIT_SIGN_IN", "60/10m")
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "inpractice.accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "inpractice.accounts.lockout.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Behind a proxy, name the header it sets (same setting as the rate limits), never trust it blindly.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    (RATELIMIT_IP_META_KEY, "REMOTE_ADDR") if RATELIMIT_IP_META_KEY else ("REMOTE_ADDR",)
)

# Staff sessions end after STAFF_SESSION_IDLE_SECONDS without a request, and in any case
# STAFF_SESSION_MAX_SECONDS after signing in (inpractice.accounts.middleware).
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
STAFF_SESSION_MAX_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_SECONDS", str(8 * 3600)))

# Optional single sign-on with the organisation's OpenID Connect provider: on when the client id
# and the provider's endpoints are set. OIDC_ROLE_MAP maps claim values to staff roles, e.g.
# "inpractice-admins=programme-admin,inpractice-analysts=analyst"; nobody without a mapped
# role can sign in this way.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "roles")
# Seconds to wait for the provider's token and userinfo answers, so a slow provider cannot hold a
# web worker indefinitely (mozilla-django-oidc waits forever by default).
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and OIDC_OP_AUTHORIZATION_ENDPOINT
    and OIDC_OP_TOKEN_ENDPOINT
    and OIDC_OP_USER_ENDPOINT
)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("inpractice.accounts.oidc.StaffOIDCBackend")

# Content-Security-Policy (django-csp 4): everything from this origin, nothing inline, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# TLS is normally ended at the proxy, which redirects http; set this where Django must do it.
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("SECURE_SSL_REDIRECT", "0") == "1"
