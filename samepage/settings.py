"""SamePage settings, all from the environment (see README "Configuration").

Development is the default and needs no variables. ``SAMEPAGE_MODE=production`` turns on
secure cookies, HSTS and required secrets, and refuses to start without SECRET_KEY and
ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samepage.database import keep_connections
from samepage.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAMEPAGE_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_choice("SAMEPAGE_MODE", "development", {"development", "production"})
PRODUCTION = MODE == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SAMEPAGE_MODE=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when SAMEPAGE_MODE=production.")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
else:
    # A development-only key: production refuses to start without its own.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# The audit trail's HMAC key (README "The audit key"): from the environment or
# SAMEPAGE_AUDIT_KEY_FILE, never from the database, so someone who can write to the
# database still cannot forge an event or a checkpoint. Keys rotated out go in
# SAMEPAGE_AUDIT_OLD_KEYS (comma-separated) so what they sealed still verifies.
_DEV_AUDIT_KEY = "dev-only-insecure-audit-key-" + "x" * 40
if PRODUCTION:
    SAMEPAGE_AUDIT_KEY = env_str("SAMEPAGE_AUDIT_KEY", required=True)
    if len(SAMEPAGE_AUDIT_KEY) < 32:
        raise ImproperlyConfigured(
            "SAMEPAGE_AUDIT_KEY must be at least 32 characters in production."
        )
    if SAMEPAGE_AUDIT_KEY == SECRET_KEY or SAMEPAGE_AUDIT_KEY.startswith("dev-only"):
        raise ImproperlyConfigured(
            "SAMEPAGE_AUDIT_KEY must be its own secret, not SECRET_KEY or the development key."
        )
else:
    # A development-only key: production refuses to start without its own.
    SAMEPAGE_AUDIT_KEY = env_str("SAMEPAGE_AUDIT_KEY", _DEV_AUDIT_KEY)
SAMEPAGE_AUDIT_OLD_KEYS = env_list("SAMEPAGE_AUDIT_OLD_KEYS")
# Where the sealer writes the newest checkpoint, outside the database, so a removed tail
# of the trail shows (point it at storage the database's users cannot write).
SAMEPAGE_AUDIT_ANCHOR_DIR = Path(
    env_str("SAMEPAGE_AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchors"))
)
# How long the sealer waits for an event number that has not committed (an open
# transaction) before taking it for rolled back.
SAMEPAGE_AUDIT_WAIT_SECONDS = env_int("SAMEPAGE_AUDIT_WAIT_SECONDS", 24 * 3600, minimum=60)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # Only for its templates and static files: the API docs page loads Swagger UI from
    # this server, not a CDN.
    "ninja",
    "samepage.core",
    "samepage.accounts",
    "samepage.schools",
    "samepage.teams",
    "samepage.plans",
    "samepage.profiles",
    "samepage.concerns",
    "samepage.conversations",
    "samepage.problems",
    "samepage.updates",
    "samepage.progress",
    "samepage.reports",
    "samepage.minutes",
    "samepage.deadlines",
    "samepage.notifications",
    "samepage.glossary",
    "samepage.home",
    "samepage.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samepage.accounts.middleware.UserPreferencesMiddleware",
    "samepage.schools.middleware.StaffTwoFactorMiddleware",
    "samepage.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samepage.urls"
WSGI_APPLICATION = "samepage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samepage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samepage.home.context_processors.navigation",
                "samepage.notifications.context_processors.unread_notices",
            ],
        },
    },
]

# Database: SQLite in var/ (WAL) unless DATABASE_URL names another.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url)
    except ValueError as e:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {e}") from e
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "samepage.sqlite3"),
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids
        # "database is locked" upgrades mid-transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so tests see real locking between threads (and WAL). One
    # file per process keeps parallel runs apart.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # A new connection per request costs more than most pages (README "Deployment"), so
    # production keeps them: each process holds a small psycopg pool (DB_POOL), or, with
    # DB_POOL=off, one persistent connection checked before reuse (DB_CONN_MAX_AGE).
    keep_connections(_db, PRODUCTION)
DATABASES = {"default": _db}
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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Failed-login lockout (django-axes): per account and address.
AXES_FAILURE_LIMIT = env_int("SAMEPAGE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SAMEPAGE_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("SAMEPAGE_LOGIN_LOCKOUT", True)

# Two-factor authentication.
SAMEPAGE_REQUIRE_STAFF_2FA = env_bool("SAMEPAGE_REQUIRE_STAFF_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "SamePage"

SAMEPAGE_INVITATION_DAYS = env_int("SAMEPAGE_INVITATION_DAYS", 14, minimum=1)
SAMEPAGE_API_TOKEN_DAYS = env_int("SAMEPAGE_API_TOKEN_DAYS", 90, minimum=1)
# One attached file may be this large (a photo, a scanned letter; samepage/core/uploads.py).
SAMEPAGE_ATTACHMENT_MAX_BYTES = env_int(
    "SAMEPAGE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
# A whole request: room for a file twice the limit, so one a little too large still
# reaches the form, which says so and keeps what the person wrote.
SAMEPAGE_MAX_REQUEST_BYTES = env_int(
    "SAMEPAGE_MAX_REQUEST_BYTES", 2 * SAMEPAGE_ATTACHMENT_MAX_BYTES + 1024 * 1024, minimum=1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = SAMEPAGE_MAX_REQUEST_BYTES

# Languages: every user-facing string has Spanish.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "samepage" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("SAMEPAGE_DEFAULT_TIME_ZONE", "America/Chicago")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Files (stored plan PDFs, uploads) go through Django's storage API: a folder under
# SAMEPAGE_VAR_DIR by default, or an S3-compatible bucket with SAMEPAGE_STORAGE=s3. Either
# way nothing serves them directly (no MEDIA_URL route, a private bucket): a file reaches
# a person only through a permission-checked view.
_storage = env_choice("SAMEPAGE_STORAGE", "local", {"local", "s3"})
_default_storage: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if _storage == "s3":
    _s3_endpoint = env_str("SAMEPAGE_S3_ENDPOINT_URL")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("SAMEPAGE_S3_BUCKET", required=True),
            "endpoint_url": _s3_endpoint or None,
            "region_name": env_str("SAMEPAGE_S3_REGION") or None,
            # Empty: boto3 finds credentials itself (AWS_* variables, an instance role).
            "access_key": env_str("SAMEPAGE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("SAMEPAGE_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("SAMEPAGE_S3_PREFIX").strip("/"),
            # Most S3-compatible servers want bucket names in the path, not the host name.
            "addressing_style": env_choice(
                "SAMEPAGE_S3_ADDRESSING_STYLE",
                "path" if _s3_endpoint else "auto",
                {"auto", "path", "virtual"},
            ),
            # Objects stay private (the bucket's own policy), any URL made is signed and
            # expires, and a name already taken gets another rather than being replaced.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
if not PRODUCTION:
    # Serve straight from the apps' static folders; production runs collectstatic.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SamePage <no-reply@samepage.invalid>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Text messages to families who choose them (samepage/notifications/sms.py): "console"
# writes them to the log; "twilio" posts them to a Twilio-compatible HTTP API.
SAMEPAGE_SMS_BACKEND = env_choice("SAMEPAGE_SMS_BACKEND", "console", {"console", "twilio"})
SAMEPAGE_SMS_API_URL = env_str("SAMEPAGE_SMS_API_URL", "https://api.twilio.com").rstrip("/")
SAMEPAGE_SMS_ACCOUNT_SID = env_str(
    "SAMEPAGE_SMS_ACCOUNT_SID", required=SAMEPAGE_SMS_BACKEND == "twilio"
)
SAMEPAGE_SMS_AUTH_TOKEN = env_str(
    "SAMEPAGE_SMS_AUTH_TOKEN", required=SAMEPAGE_SMS_BACKEND == "twilio"
)
SAMEPAGE_SMS_FROM = env_str("SAMEPAGE_SMS_FROM", required=SAMEPAGE_SMS_BACKEND == "twilio")
SAMEPAGE_SMS_TIMEOUT_SECONDS = env_int("SAMEPAGE_SMS_TIMEOUT_SECONDS", 10, minimum=1)

# Days before a consent ends that its family and its grantee are told
# (manage.py notify_expiring_consents, run daily).
SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS = env_int("SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS", 14, minimum=1)

# Days before a deadline is due that its case managers (and the family, for their own
# signature or consent) are told, and how long after it passed an overdue one still is
# (manage.py send_deadline_reminders, run daily).
SAMEPAGE_DEADLINE_REMINDER_DAYS = env_int("SAMEPAGE_DEADLINE_REMINDER_DAYS", 14, minimum=1)

# Messages shown in their reader's language (samepage/core/translation.py): "none" shows
# the original with its language named; "libretranslate" asks a LibreTranslate-compatible
# server, and caches each translation.
SAMEPAGE_TRANSLATION_BACKEND = env_choice(
    "SAMEPAGE_TRANSLATION_BACKEND", "none", {"none", "libretranslate"}
)
SAMEPAGE_TRANSLATION_URL = env_str(
    "SAMEPAGE_TRANSLATION_URL", required=SAMEPAGE_TRANSLATION_BACKEND == "libretranslate"
).rstrip("/")
SAMEPAGE_TRANSLATION_API_KEY = env_str("SAMEPAGE_TRANSLATION_API_KEY")
SAMEPAGE_TRANSLATION_TIMEOUT_SECONDS = env_int("SAMEPAGE_TRANSLATION_TIMEOUT_SECONDS", 5, minimum=1)

# Background work through the Django tasks API: immediate by default, a database queue
# with `manage.py db_worker` processes when SAMEPAGE_TASKS=database.
_tasks = env_choice("SAMEPAGE_TASKS", "immediate", {"immediate", "database"})
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if _tasks == "immediate"
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}
# How often one process asks for an audit sealer run (see samepage/core/audit.py). In
# development, after every commit, in the request, so tests and demos see it at once.
# In production and with the database queue, at most once a second per process,
# deferred to the end of that second, so sealing never doubles a request's commits.
SAMEPAGE_AUDIT_SEAL_INTERVAL_MS = env_int(
    "SAMEPAGE_AUDIT_SEAL_INTERVAL_MS",
    1000 if PRODUCTION or _tasks == "database" else 0,
    minimum=0,
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SAMEPAGE_SESSION_HOURS", 12, minimum=1) * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers ask for the health check over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it stays a deliberate opt-in per deployment.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Each new audit checkpoint is logged: a copy of the trail's head outside the database.
    "loggers": {"samepage.audit": {"level": env_str("SAMEPAGE_AUDIT_LOG_LEVEL", "INFO")}},
}
CSRF_FAILURE_VIEW = "samepage.core.views.csrf_failure"
