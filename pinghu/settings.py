"""Settings for the Pinghu industrial-chain investment tracker.

Everything that differs between a laptop and production comes from the environment
(see ``.env.example``). With no environment at all the project runs locally on SQLite
with DEBUG on; with ``DJANGO_DEBUG=0`` it refuses to start without a secret key.
"""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pinghu import settings_db
from pinghu.media_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            'Generate one with: python -c "from django.core.management.utils import '
            'get_random_secret_key; print(get_random_secret_key())"'
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "pinghu.apps.PinghuAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # PostgreSQL's range types and exclusion constraints (chains: chief terms); inert on SQLite.
    "django.contrib.postgres",
    "axes",
    "simple_history",
    "import_export",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Background tasks (issue 19): the task framework and its database backend.
    "django_tasks",
    "django_tasks_db",
    "pinghu",
    "units",
    "chains",
    "projects",
    "aftercare",
    "targets",
    "reports",
    "notifications",
    "reminders",
    "webhooks",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pinghu.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pinghu.middleware.ApiNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on what signed-in users and tokens read; Retry-After on a 429.
    "pinghu.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every change records who made it (django-simple-history); API requests too, since DRF
    # hands the token's user to the underlying request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it answers a locked-out login attempt (django-axes).
    "axes.middleware.AxesMiddleware",
]

# The audit trail (django-simple-history) is shown in the admin and on project and visit pages.
# Reverting from the admin is off: a reverted project or visit would bypass the services that
# keep stage histories, leader counts and links consistent.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Login lockout (django-axes) on every login form (site and admin; the API takes tokens or the
# site's session, never a password): 5 failures for one user name from one address lock that
# pair out for an hour. Attempts are stored in the database, so every app host sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Object rules (pinghu.permissions): which visits and projects a role may change.
    "rules.permissions.ObjectPermissionBackend",
    "pinghu.auth_backends.PermissionReadBackend",  # a user's permissions in one query, which ModelBackend reuses
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind nginx the client address is the last one the proxy appended to X-Forwarded-For; set
# DJANGO_PROXY_COUNT to the number of proxies in front of the app (0: none, use REMOTE_ADDR).
# django-axes locks the user name at the client's address (pinghu.clientip, with django-ipware),
# never at the proxy's, which every client would share.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "pinghu.clientip.client_ip_address"

# HTTPS in production: with DEBUG off the app expects to be served over HTTPS (behind nginx,
# which sets X-Forwarded-Proto). DJANGO_HTTPS=0 turns it off for a local `make serve`.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles and everything else only from this
# site; no inline script or style element anywhere (templates keep data in json_script blocks).
# One exception: inline style *attributes* (style-src-attr), which ECharts writes into the HTML
# of its tooltips (the coloured markers); they cannot run code. Scripts and <style> elements stay
# 'self' only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "pinghu.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "pinghu.wsgi.application"

# Databases (pinghu.settings_db): DATABASE_URL (an SQLite file in the project folder when unset), an optional
# read replica for the statistics and exports (DATABASE_REPLICA_URL, pinghu.read_replica), PgBouncer in
# transaction mode (DATABASE_PGBOUNCER=1: no server-side cursors).
DATABASES = settings_db.databases(os.environ, base_dir=BASE_DIR)
DATABASE_ROUTERS = ["pinghu.read_replica.ReadReplicaRouter"]
PINGHU_READ_REPLICA = settings_db.REPLICA_ALIAS if settings_db.REPLICA_ALIAS in DATABASES else None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese first, English available (LocaleMiddleware picks it from
# the session, the language cookie or Accept-Language).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Thousands grouped by three with a comma in Chinese too (pinghu/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["pinghu.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Where the local storage keeps uploads (photos), never served at a URL of its own (pinghu.media_storage); a
# deleted photo's files are kept PINGHU_PHOTO_RETENTION_DAYS for a restore, then purged (purge_visit_photos).
MEDIA_ROOT = os.environ.get("PINGHU_MEDIA_ROOT") or str(BASE_DIR / "media")
PINGHU_PHOTO_RETENTION_DAYS = int(os.environ.get("PINGHU_PHOTO_RETENTION_DAYS", "365"))
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
STORAGES = {
    "default": media_storage(os.environ, media_root=MEDIA_ROOT),  # local files or S3-compatible (pinghu.media_storage)
    # The admin's import keeps an upload between its preview and its confirmation (django-import-export's
    # MediaStorage uses this backend). With several hosts, point PINGHU_IMPORT_DIR at a directory they
    # share, or give this entry another storage backend.
    "import_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PINGHU_IMPORT_DIR", str(Path(tempfile.gettempdir()) / "pinghu-imports"))
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The cache: per process by default, shared with PINGHU_CACHE_URL=redis://… or db:// (pinghu.settings_db).
# Pages cache figures under a key that includes a version of the data, so what a cache holds is never
# stale and hosts need not share it; the API's rate limits count in it and need it shared (docs/deploy.md).
CACHES = settings_db.caches(os.environ)

# Background tasks (Django's task framework through the django-tasks backport): each task is a row in
# this database, written in the transaction of the change that caused it, so a task is never lost
# after a commit nor run for a change rolled back. `manage.py db_worker` processes them (any number of
# hosts); a deployment that outgrows it changes the BACKEND here, not the code.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:dashboard"
LOGOUT_REDIRECT_URL = "login"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Pages the installable app keeps for a signed-in user who may open them, offline (URL name: permission).
PINGHU_OFFLINE_PAGES = {"projects:visit-new": "projects.add_investmentvisit"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# API rate limits (pinghu.api.throttling), counted in the cache (per process unless PINGHU_CACHE_URL names a
# shared one): write tokens and browser sessions, and read-only tokens, which only read and get far more.
PINGHU_API_RATE = os.environ.get("PINGHU_API_RATE", "2000/hour")
PINGHU_API_READ_RATE = os.environ.get("PINGHU_API_READ_RATE", "20000/hour")

# Targets (issue 17, docs/statistics.md "Targets"): time progress counts the current month as done from
# this day of it (monthly reviews are held near the 25th); a target whose completion is more than
# PINGHU_TARGET_BEHIND_POINTS percentage points below the time progress is "far behind"; the weighted
# ranking score caps each completion rate at PINGHU_TARGET_SCORE_CAP (1.2 = 120%).
PINGHU_TARGET_MONTH_DONE_DAY = int(os.environ.get("PINGHU_TARGET_MONTH_DONE_DAY", "25"))
PINGHU_TARGET_BEHIND_POINTS = Decimal(os.environ.get("PINGHU_TARGET_BEHIND_POINTS", "10"))
PINGHU_TARGET_SCORE_CAP = Decimal(os.environ.get("PINGHU_TARGET_SCORE_CAP", "1.2"))

# Plausible amounts (issue 15): an amount above its ceiling is refused wherever it is entered
# (page, admin, API, import); one above its warning line is saved only when the person entering
# it confirms it (the form's "确认金额无误", the API's confirm_large_amounts, the import's
# option) and is listed on the bureau's data-quality page. Keyed by field name; units are the
# field's own (万元, 万美元 for foreign investment, 亩 for land). Each can be set from the
# environment: PINGHU_CEILING_<FIELD> and PINGHU_WARNING_<FIELD>, e.g. PINGHU_CEILING_TOTAL_INVESTMENT.
AMOUNT_CEILING_DEFAULTS = {
    "total_investment": "10000000",  # 万元 = 1,000亿元
    "foreign_investment": "1500000",  # 万美元 = 150亿美元, about 1,000亿元
    "registered_capital": "10000000",  # 万元
    "land_area": "100000",  # 亩, about 67 km²
    "expected_output": "10000000",  # 万元 a year
    "expected_tax": "1000000",  # 万元 a year
    "industrial_output": "10000000",  # 万元 a year (per-mu figures)
    "revenue": "10000000",  # 万元 a year (per-mu figures)
    "tax_paid": "1000000",  # 万元 a year (per-mu figures)
    "rd_spending": "1000000",  # 万元 a year (per-mu figures)
    "domestic_funds": "1000000",  # 万元 in one month (projects.ProjectFunds) = 100亿元
    "actual_foreign_investment": "150000",  # 万美元 in one month (projects.ProjectFunds) = 15亿美元
}
AMOUNT_WARNING_DEFAULTS = {
    "total_investment": "1000000",  # 万元 = 100亿元
    "foreign_investment": "150000",  # 万美元
    "registered_capital": "1000000",  # 万元
    "land_area": "10000",  # 亩
    "expected_output": "1000000",  # 万元 a year
    "expected_tax": "100000",  # 万元 a year
}
PINGHU_AMOUNT_CEILINGS = {
    field: os.environ.get(f"PINGHU_CEILING_{field.upper()}", default)
    for field, default in AMOUNT_CEILING_DEFAULTS.items()
}
PINGHU_AMOUNT_WARNINGS = {
    field: os.environ.get(f"PINGHU_WARNING_{field.upper()}", default)
    for field, default in AMOUNT_WARNING_DEFAULTS.items()
}

# Notifications (issue 19): the inbox, the channels and the daily digest (notifications/, README "Configuration").
# Absolute links in messages that leave the site (digests, robots, e-mail).
PINGHU_SITE_URL = os.environ.get("PINGHU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PINGHU_NOTIFICATION_RETENTION_DAYS = int(os.environ.get("PINGHU_NOTIFICATION_RETENTION_DAYS", "180"))
# Quiet hours (local time) of whoever has not set their own: nothing leaves then; the digest waits.
PINGHU_QUIET_HOURS = os.environ.get("PINGHU_QUIET_HOURS", "22:00-07:00")
# The key channel addresses are encrypted with (Fernet, urlsafe base64 of 32 bytes); by default derived
# from SECRET_KEY, so changing SECRET_KEY without setting this makes the stored addresses unreadable.
PINGHU_CHANNEL_KEY = os.environ.get("PINGHU_CHANNEL_KEY", "")
# Retries: the wait doubles from the first to the longest; a channel failing this many days is paused.
PINGHU_DELIVERY_RETRY_SECONDS = int(os.environ.get("PINGHU_DELIVERY_RETRY_SECONDS", "60"))
PINGHU_DELIVERY_RETRY_MAX_SECONDS = int(os.environ.get("PINGHU_DELIVERY_RETRY_MAX_SECONDS", "21600"))
PINGHU_CHANNEL_PAUSE_AFTER_DAYS = int(os.environ.get("PINGHU_CHANNEL_PAUSE_AFTER_DAYS", "3"))
# A delivery claimed longer ago than this by a worker that never finished (killed) is sent again.
PINGHU_DELIVERY_LEASE_SECONDS = int(os.environ.get("PINGHU_DELIVERY_LEASE_SECONDS", "600"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pinghu.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pinghu.api.permissions.ApiAccess"],
    "DEFAULT_PAGINATION_CLASS": "pinghu.api.pagination.PageOrCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "pinghu.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "pinghu.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["pinghu.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pinghu.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "pinghu.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "pinghu.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "pinghu.api.throttling.TokenOrUserRateThrottle",
        "pinghu.api.throttling.ReadTokenRateThrottle",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "URL_FORMAT_OVERRIDE": "format",
}

SPECTACULAR_SETTINGS = {
    # The schema and its documentation need a token, or a login with a role, like every other page.
    "SERVE_AUTHENTICATION": REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
    "SERVE_PERMISSIONS": ["pinghu.api.permissions.SchemaAccess"],
    "TITLE": "平湖市产业链招商管理平台 API",
    "DESCRIPTION": (
        "REST API v1 of the Pinghu industrial-chain investment tracker. Authenticate with "
        "`Authorization: Bearer <token>` (tokens from `manage.py issue_api_token`) or a browser session. "
        "Amounts are in 万元 (CNY) unless a field says 万美元 (USD)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "projects.choices.ProjectStage",
        "ProjectSourceEnum": "projects.choices.ProjectSource",
        "TownEnum": "chains.choices.Town",
        "IssueStatusEnum": "aftercare.choices.IssueStatus",
        "IssueChannelEnum": "aftercare.choices.IssueChannel",
        "IssueCategoryEnum": "aftercare.choices.IssueCategory",
        "ParcelStatusEnum": "projects.choices.ParcelStatus",
        "ProgressStatusEnum": "targets.choices.ProgressStatus",
        "ReportStatusEnum": "reports.choices.ReportStatus",
        "DeliveryStatusEnum": "webhooks.choices.DeliveryStatus",
    },
}
