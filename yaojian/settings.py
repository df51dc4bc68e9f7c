"""Yaojian settings: one module, driven by environment variables (see README)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YAOJIAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "yaojian.core",
    "yaojian.accounts",
    "yaojian.territory",
    "yaojian.audit",
    "yaojian.jobs",
    "yaojian.outbox",
    "yaojian.registry",
    "yaojian.clocks",
    "yaojian.webhooks",
    "yaojian.documents",
    "yaojian.linkage",
    "yaojian.notices",
    "yaojian.exchange",
    "yaojian.enforcement",
    "yaojian.referrals",
    "yaojian.complaints",
    "yaojian.inspections",
    "yaojian.credit",
    "yaojian.portal",
    "yaojian.traceability",
    "yaojian.dashboard",
    "yaojian.demo",
    "yaojian.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yaojian.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yaojian.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yaojian.core.middleware.RequestContextMiddleware",
    "yaojian.core.middleware.NotFoundMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "yaojian.urls"
WSGI_APPLICATION = "yaojian.wsgi.application"

AUTHENTICATION_BACKENDS = ["yaojian.accounts.backends.RoleBackend"]

# Django's templates, the stock <select> written directly (yaojian/core/form_renderer.py).
FORM_RENDERER = "yaojian.core.form_renderer.FormRenderer"

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
                "yaojian.accounts.context_processors.membership",
                "yaojian.core.context_processors.shell",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yaojian.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # ":memory:" (Django's default): said explicitly, because pytest-django recognises an
    # in-memory SQLite test database by the ENGINE name, which is ours (below).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME") or ":memory:"}
# Django's backends plus the audit chain's pre-commit step (ADR 0011, yaojian/audit/db).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "yaojian.audit.db.sqlite3",
    "django.db.backends.postgresql": "yaojian.audit.db.postgresql",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("BEHIND_TLS_PROXY", False):
    # The reverse proxy terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response: yaojian.core.security.DEFAULT_POLICY (ADR 0012).

# --- i18n -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- background tasks ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "yaojian.core.task_queue.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The event outbox (yaojian.outbox.conf): lease of a taken hand-off, sweep interval.
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "120"))
OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "60"))

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yaojian.accounts.api.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "yaojian.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yaojian.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_RATE", "6000/minute")},
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yaojian API",
    "DESCRIPTION": "药监协同 — REST API for partner systems of the departments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the public validator: Swagger UI requests nothing outside the platform.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "yaojian.api.schema.add_error_responses",
    ],
    # Several apps name a choice field "kind" or "status": name their enums after the app.
    "ENUM_NAME_OVERRIDES": {
        "CalendarDayKindEnum": "yaojian.clocks.models.DayKind",
        "CalendarYearStatusEnum": "yaojian.clocks.models.YearStatus",
        "WebhookDeliveryStatusEnum": "yaojian.webhooks.choices.DeliveryStatus",
        "HandoffStatusEnum": "yaojian.outbox.choices.MessageStatus",
        "DataSourceKindEnum": "yaojian.exchange.choices.source_kind_choices",
        "CreditRecordKindEnum": "yaojian.credit.choices.RecordKind",
        "CheckedDecisionActionEnum": "yaojian.credit.choices.CHECKED_DECISION_CHOICES",
        "InspectionPlanKindEnum": "yaojian.inspections.choices.PlanKind",
        "InspectionKindEnum": "yaojian.inspections.choices.InspectionKind",
        "InspectionPlanStateEnum": "yaojian.inspections.choices.PlanState",
        "InspectionStateEnum": "yaojian.inspections.choices.InspectionState",
    },
}

# --- cross-department apps (issues 3 and 4; each read with getattr defaults) ----------
# Webhook receivers on loopback or private networks (link-local/metadata never).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", DEBUG)
# Entity linkage bands (docs/domain/linkage.md).
LINKAGE_AUTO_THRESHOLD = float(os.environ.get("LINKAGE_AUTO_THRESHOLD", "0.95"))
LINKAGE_REVIEW_THRESHOLD = float(os.environ.get("LINKAGE_REVIEW_THRESHOLD", "0.5"))
# Enforcement clock parameters marked [M] in DOMAIN.md: overrides of enforcement/clock_rules.py.
ENFORCEMENT_CLOCKS: dict[str, object] = {}
# Amounts and rules each province sets (DOMAIN.md §5.4), keyed by two-digit province code,
# "" for the default row: hearing thresholds, the low-fine publication threshold, the display
# start day, the licence adjustment digits and inspection intervals (yaojian/core/provinces.py).
# Keys and defaults: docs/domain/enforcement.md ("Configuration") and docs/domain/portal.md.
PROVINCIAL_RULES: dict[str, dict[str, object]] = {}
# Criminal referrals: overrides of referrals/clocks.py (DOMAIN.md §2.7; the [M] police periods).
REFERRAL_CLOCKS: dict[str, object] = {}
# PDF documents: a CJK font ("path" or "path#face"); empty = search Noto Sans CJK, WenQuanYi.
DOCUMENT_FONT = os.environ.get("DOCUMENT_FONT", "")
DOCUMENT_FONT_BOLD = os.environ.get("DOCUMENT_FONT_BOLD", "")
# Imports: the largest file accepted, and when a department's data counts as stale.
EXCHANGE_MAX_UPLOAD_BYTES = int(os.environ.get("EXCHANGE_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# Files of at most this many rows are imported in the uploading request, not by the worker.
EXCHANGE_INLINE_MAX_ROWS = int(os.environ.get("EXCHANGE_INLINE_MAX_ROWS", "200"))
EXCHANGE_STALE_AFTER_DAYS = int(os.environ.get("EXCHANGE_STALE_AFTER_DAYS", "180"))

# Audit trail (ADR 0011): the chain key lives outside the database (AUDIT_CHAIN_KEY, or a
# file generated on first use with mode 0600); signed checkpoints are appended to a file.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
AUDIT_CHAIN_KEY_FILE = os.environ.get("AUDIT_CHAIN_KEY_FILE", str(VAR_DIR / "audit_chain_key"))
AUDIT_CHECKPOINT_FILE = os.environ.get(
    "AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit_checkpoints.jsonl")
)
AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("AUDIT_CHECKPOINT_MINUTES", "10"))
# Webhook endpoints of these departments (codes) receive each checkpoint ("audit.checkpoint").
AUDIT_CHECKPOINT_DEPARTMENTS = [
    c.strip() for c in os.environ.get("AUDIT_CHECKPOINT_DEPARTMENTS", "").split(",") if c.strip()
]
# "late": the chain lock is taken just before COMMIT; "early": at the first record (old).
AUDIT_CHAIN_LOCK = os.environ.get("AUDIT_CHAIN_LOCK", "late")

# --- logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools reports every table it subsets while a PDF is rendered.
        "fontTools": {"level": "WARNING"},
    },
}

# Complaints and reports (yaojian/complaints/conf.py): periods, limits and reward rates; the
# 2019 values are the defaults. A JSON object in YAOJIAN_COMPLAINTS overrides any key, e.g.
# YAOJIAN_COMPLAINTS='{"accept_days": 7, "per_address_per_hour": 5}'.
COMPLAINTS: dict[str, object] = __import__("json").loads(
    os.environ.get("YAOJIAN_COMPLAINTS", "") or "{}"
)
