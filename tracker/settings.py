"""The one settings module. Everything that differs between machines comes from the environment.

With no environment at all the project runs on its embedded default: SQLite in `data/` and background work
executed in-process (eagerly, after commit) instead of by a Celery worker. See README.md, "Configuration".
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tracker.env import (
    check_redis_url,
    parse_admins,
    parse_bool,
    parse_database_url,
    parse_int,
    parse_list,
    parse_prepare_threshold,
)
from tracker.errors import start_sentry

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"

DEBUG = parse_bool("DEBUG", os.environ.get("DEBUG"), default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = parse_list(os.environ.get("ALLOWED_HOSTS"), ["localhost", "127.0.0.1", "[::1]", "testserver"])

_database_url = os.environ.get("DATABASE_URL")
_test_tag = os.environ.get("TEST_DB_TAG", "").strip()
if _database_url:
    DATABASES = {
        "default": parse_database_url(
            _database_url,
            BASE_DIR,
            _test_tag,
            # Seconds a connection is reused (0: a new one per request) and whether it is checked before reuse.
            conn_max_age=parse_int("DB_CONN_MAX_AGE", os.environ.get("DB_CONN_MAX_AGE"), default=60),
            health_checks=parse_bool("DB_CONN_HEALTH_CHECKS", os.environ.get("DB_CONN_HEALTH_CHECKS"), default=True),
            # Statements prepared after this many runs on a connection ("off": never; see README).
            prepare_threshold=parse_prepare_threshold(os.environ.get("DB_PREPARE_THRESHOLD")),
        )
    }
else:
    DATA_DIR.mkdir(exist_ok=True)
    DATABASES = {"default": parse_database_url(f"sqlite:///{DATA_DIR / 'db.sqlite3'}", BASE_DIR, _test_tag)}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "claims",
    "axes",
]

MIDDLEWARE = [
    "tracker.request_id.RequestIdMiddleware",  # outermost: every log line of the request carries its id
    # /healthz and /readyz answered for any Host and over plain HTTP, before the host check and the HTTPS redirect.
    "tracker.probes.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tracker.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked-out login with the lockout page (django-axes, below).
    "axes.middleware.AxesMiddleware",
    # Innermost, so it sees a view's database error first: 503 + Retry-After during a database restart.
    "tracker.outage.DatabaseOutageMiddleware",
]

# Login lockout (django-axes) for the site's sign-in and the admin's: after AXES_FAILURE_LIMIT failed attempts in a
# row for one user name from one address, that pair is refused for AXES_COOLOFF_HOURS (other users, and the same
# user elsewhere, still sign in); a success resets the count. Staff unlock in the admin (Axes > Access attempts:
# delete the row) or with `python manage.py axes_reset_username NAME`. API tokens are not passwords and do not count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = parse_int("AXES_FAILURE_LIMIT", os.environ.get("AXES_FAILURE_LIMIT"), default=10, minimum=1)
AXES_COOLOFF_TIME = parse_int("AXES_COOLOFF_HOURS", os.environ.get("AXES_COOLOFF_HOURS"), default=1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind reverse proxies, the client's address is taken from X-Forwarded-For, as the nearest TRUSTED_PROXY_COUNT
# proxies wrote it (tracker/client_ip.py); 0, the default, counts REMOTE_ADDR. DRF's throttles use the same count.
TRUSTED_PROXY_COUNT = parse_int("TRUSTED_PROXY_COUNT", os.environ.get("TRUSTED_PROXY_COUNT"), default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing folder
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production whitenoise serves what `collectstatic` wrote to STATIC_ROOT under content-hashed names (cached
# forever by browsers). The manifest storage refuses to render a page whose static file was not collected, so a
# forgotten `collectstatic` shows at once rather than as a site without styles.
STATIC_MANIFEST = parse_bool("STATIC_MANIFEST", os.environ.get("STATIC_MANIFEST"), default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- REST framework -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.ReadOnlyOrEditor"],
    "DEFAULT_RENDERER_CLASSES": [
        "claims.api.jsonio.SafeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON in and out (API.md); the browser's editor posts JSON too. The safe parser makes absurdly nested bodies
    # a 400 rather than a RecursionError (claims/api/jsonio.py).
    "DEFAULT_PARSER_CLASSES": ["claims.api.jsonio.SafeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Throttled per client address behind TRUSTED_PROXY_COUNT proxies (DRF reads X-Forwarded-For likewise).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "600/minute"),
        "user": os.environ.get("THROTTLE_USER", "6000/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim tracker API",
    "DESCRIPTION": "Articles, claims and the contradictions between them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # No CDN: the interactive docs are served from the sidecar package's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind` or `status`; name each choice set so the schema (and `check`) is unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.Claim.Kind",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ArticleStatusEnum": "claims.models.Article.Status",
        "ContradictionKindEnum": "claims.models.Contradiction.Kind",
        "ContradictionStatusEnum": "claims.models.Contradiction.Status",
    },
}

# --- Background work ------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    check_redis_url(REDIS_URL)
# Without REDIS_URL nothing is sent anywhere: tasks run eagerly in-process (after commit). The broker URL still
# names the local Redis so that the end-to-end tests can switch eager mode off and reach a real worker.
CELERY_BROKER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A claim save must never hang because Redis is down: fail fast, and let the reconcile task catch up later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "reconcile-unchecked-claims": {"task": "claims.reconcile_claims", "schedule": 60.0},
}

CACHES: dict[str, dict[str, object]] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # Throttle counters only: a Redis outage must not fail requests (tracker/cache.py), nor make them wait.
    CACHES = {
        "default": {
            "BACKEND": "tracker.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }

# --- Contradiction detection ----------------------------------------------------------------------------------
# Tolerances and change-over-time windows of the comparator (docs/DETECTION.md, "Settings"). Every key is optional;
# the environment variable CLAIM_DETECTION may hold the same as JSON, e.g. '{"window_days": {"default": 120}}'.
# Validated here, so a bad value stops every process (web, worker, beat) at startup, naming the key.
CLAIM_DETECTION: dict[str, object] = {}
try:
    from claims.detect.config import DetectionConfigError, config_from_json, settings_from_config

    CLAIM_DETECTION = config_from_json(os.environ.get("CLAIM_DETECTION"))
    settings_from_config(CLAIM_DETECTION)
except DetectionConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from None

# --- Security -------------------------------------------------------------------------------------------------
# Production values come from the environment (README "Deploying", .env.example). HTTPS redirect and HSTS stay
# off unless asked for: docker-compose serves plain HTTP on localhost, and HSTS cannot be taken back once sent.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = parse_bool("SECURE_COOKIES", os.environ.get("SECURE_COOKIES"), default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Request bodies (JSON or form) up to 6 MB: the 5 MB page limits and the 2,000,000-character article limit are
# then checked by the code that names the field, rather than cut off by Django with a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = parse_list(os.environ.get("CSRF_TRUSTED_ORIGINS"), [])
SECURE_SSL_REDIRECT = parse_bool("SECURE_SSL_REDIRECT", os.environ.get("SECURE_SSL_REDIRECT"), default=False)
# The health probes come over plain HTTP from inside the host (tracker/probes.py answers them first anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = parse_int("HSTS_SECONDS", os.environ.get("HSTS_SECONDS"), default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = parse_bool(
    "HSTS_INCLUDE_SUBDOMAINS", os.environ.get("HSTS_INCLUDE_SUBDOMAINS"), default=False
)
SECURE_HSTS_PRELOAD = parse_bool("HSTS_PRELOAD", os.environ.get("HSTS_PRELOAD"), default=False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients): trust it, so that
# request.is_secure() is right and SECURE_SSL_REDIRECT does not loop. Never set this without such a proxy.
if parse_bool("BEHIND_TLS_PROXY", os.environ.get("BEHIND_TLS_PROXY"), default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tracker.request_id.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
        # Server errors (500s) by e-mail to ADMINS, when some are set and DEBUG is off.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False}},
}

# --- Error reporting -----------------------------------------------------------------------------------------
# ADMINS="Ops <ops@example.org>, dev@example.org" receive server errors by e-mail (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, SERVER_EMAIL configure the sender; without EMAIL_HOST mail
# goes to the console). SENTRY_DSN, when set, sends errors to Sentry as well (sentry-sdk; no personal data).
ADMINS = parse_admins(os.environ.get("ADMINS", ""))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "claim-tracker@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = parse_int("EMAIL_PORT", os.environ.get("EMAIL_PORT"), default=587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = parse_bool("EMAIL_USE_TLS", os.environ.get("EMAIL_USE_TLS"), default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    start_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
