"""One settings module, read from the environment, with safe production defaults.

`make run` turns DEBUG on; everything else is off unless a variable says otherwise.
Every variable read here is listed in .env.example.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = env_bool("TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING or env_bool("ALLOW_INSECURE_SECRET_KEY")):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's own name and address: the Sites row (synced on migrate, checked by
# marketplace.checks), allauth's emails, sitemaps, feeds and every absolute URL we build.
# Set either SITE_URL or SITE_DOMAIN and the other follows; `make run`/`make serve` set SITE_URL
# to the address they listen on, so the demo's links work.
SITE_NAME = os.environ.get("SITE_NAME", "aimusicstore")
_site_url = os.environ.get("SITE_URL", "")
SITE_DOMAIN = os.environ.get("SITE_DOMAIN") or urlsplit(_site_url).netloc or "aimusicstore.test"
SITE_URL = _site_url or f"{'http' if DEBUG or TESTING else 'https'}://{SITE_DOMAIN}"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "csp",
    "template_partials",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",  # the record of every staff action (aimusicstore/audit.py)
    "accounts",
    "marketplace",
    "voting",
]

MIDDLEWARE = [
    "aimusicstore.logs.RequestIdMiddleware",
    "aimusicstore.http.ClientAddressMiddleware",
    "aimusicstore.middleware.HealthCheckMiddleware",
    "aimusicstore.api.ApiMiddleware",
    "aimusicstore.conditional.ConditionalGetMiddleware",
    "aimusicstore.degrade.DatabaseUnavailableMiddleware",
    "aimusicstore.bounds.RequestBoundsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages and JSON gzipped for clients that ask (static files come pre-compressed from whitenoise).
    # CSRF tokens are masked per response, which is Django's answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # After the body bound (it reads the body) and inside gzip: it keeps an answer as the view gave it, and
    # a replay is encoded for the retry that asks for it (a kept gzip body has no Content-Encoding to go with).
    "aimusicstore.idempotency.IdempotencyMiddleware",
    "aimusicstore.headers.CSPMiddleware",
    "aimusicstore.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aimusicstore.pagecache.VisitorPageCacheMiddleware",
    "aimusicstore.pagecache.MemberHitMiddleware",
    "aimusicstore.apihit.ApiReadHitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aimusicstore.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.staff_access.StaffTwoFactorMiddleware",
    "aimusicstore.pagecache.MemberPageMiddleware",
]

ROOT_URLCONF = "aimusicstore.urls"
WSGI_APPLICATION = "aimusicstore.wsgi.application"

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
                "marketplace.context_processors.favourites_and_follows",
                "aimusicstore.pagecache.csrf_placeholder",
                "marketplace.context_processors.site",
            ],
            "builtins": ["aimusicstore.personal", "aimusicstore.urltag"],
        },
    }
]

# --- Data -----------------------------------------------------------------
# The defaults are the conventional local servers; `make` targets always pass the URLs of
# this checkout's own embedded servers (scripts/dev.py), and production sets both.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aimusicstore"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ENGINE"] = "aimusicstore.postgres"  # the health check without a round trip
# Parameters bound by the server, so psycopg prepares a statement the fifth time this connection
# runs it: the store's queries are few and repeated, and planning the track page's seven-table join
# cost more than running it (1 ms against 0.3 ms). SERVER_SIDE_BINDING=0 turns it off (a pooler in
# transaction mode that cannot keep prepared statements).
if env_bool("SERVER_SIDE_BINDING", default=True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Under pytest-xdist each worker ("gw0", "gw1", ...) is its own little store: its own Redis
# database (tests flush it), cache prefix, Celery queue and media folder, as pytest-django
# gives each its own test database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    _worker = int(XDIST_WORKER.removeprefix("gw"))
    _base, _, _db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{int(_db or 0) + _worker}" if _db.isdigit() else f"{REDIS_URL}/{_worker}"
    for _name in ("CACHE_KEY_PREFIX", "CELERY_TASK_DEFAULT_QUEUE", "MEDIA_ROOT"):
        if _name in os.environ:
            os.environ[_name] = f"{os.environ[_name]}-{XDIST_WORKER}"
CACHES = {
    "default": {
        "BACKEND": "aimusicstore.cache.TolerantRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ams"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Redis down must not take pages down: cache reads miss, writes are dropped (and logged),
            # and a dead server is given up on quickly rather than retried with backoff per call.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
            "SOCKET_TIMEOUT": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "1")),
            "CONNECTION_POOL_KWARGS": {"retry": Retry(NoBackoff(), 1)},
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# What each web process keeps of the stored pages it decoded, in MB (aimusicstore/pagecache.py, "What a
# process keeps"): a hot page then crosses from Redis once per process, not once per hit.
PAGE_CACHE_NEAR_MB = int(os.environ.get("PAGE_CACHE_NEAR_MB", "64"))
# Sessions live in the database with the cache in front, so nobody is signed out when Redis is.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
# Every task goes to this one queue (nothing routes elsewhere); `make test` names its own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.resilient_mail.MailTolerantAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}  # an unverified account answers as a wrong password
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG or TESTING else "https"
# Counted in the Redis cache, so the limits hold across every web process.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
SOCIALACCOUNT_PROVIDERS = {}
for _provider in ("google", "github"):
    _client_id = os.environ.get(f"{_provider.upper()}_CLIENT_ID")
    if _client_id:
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APP": {"client_id": _client_id, "secret": os.environ.get(f"{_provider.upper()}_CLIENT_SECRET", "")}
        }

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <hello@{SITE_DOMAIN.split(':')[0]}>")

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / ".data" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "aimusicstore.staticstorage.HashedModulesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
# Uploaded media served by our own range-capable view (marketplace.listening.views.media) unless
# it lives on S3; docker-compose's nginx serves the same directory from a shared volume.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not os.environ.get("AWS_STORAGE_BUCKET_NAME"))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
# aimusicstore/bounds.py: JSON bodies (the whole API) and form uploads (a 20 MB preview and a 10 MB
# cover, as nginx's client_max_body_size) are refused with 413 past these; JSON deeper than this is a 400.
MAX_JSON_BODY_BYTES = int(os.environ.get("MAX_JSON_BODY_BYTES", str(1024 * 1024)))
MAX_REQUEST_BODY_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 32

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApiKeyAuthentication"],
    # Every view puts accounts.scopes.HasScope first in its own permission_classes; this is the rest's.
    "DEFAULT_PERMISSION_CLASSES": ["accounts.scopes.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["aimusicstore.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "aimusicstore.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["aimusicstore.throttles.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "aimusicstore.api.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["aimusicstore.params.ApiFilterBackend"],  # an empty filter value is a 400 too
    # REMOTE_ADDR is already the client (aimusicstore.http.ClientAddressMiddleware, TRUSTED_PROXIES).
    "NUM_PROXIES": 0,
}
# Requests per minute (or /hour, /day) per API key and tier; anonymous callers per IP.
# "vote" is for POST /api/v1/votes (views set throttle_kind = "vote").
API_RATE_LIMITS = {
    "anon": {"read": "60/min", "write": "10/min", "vote": "10/min"},
    "starter": {"read": "120/min", "write": "30/min", "vote": "60/min"},
    "pro": {"read": "600/min", "write": "120/min", "vote": "300/min"},
    "enterprise": {"read": "3000/min", "write": "600/min", "vote": "1500/min"},
}
API_LOGIN_KEY_LIFETIME_DAYS = 30

SPECTACULAR_SETTINGS = {
    "TITLE": "aimusicstore agent API",
    "DESCRIPTION": "Upload, discover, vote on and buy AI-generated music. "
    "Send `Authorization: Bearer <api key>`; errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "aimusicstore.schema.postprocess"],
    # One name per choice set, so no two fields named alike (status, target_type, events) collide
    # (drf_spectacular.W001 under `check --deploy --fail-level WARNING`).
    "ENUM_NAME_OVERRIDES": {
        "TrackGenre": "marketplace.catalogue.vocabulary.GENRES",
        "TrackMood": "marketplace.catalogue.vocabulary.MOODS",
        "AiCreditValue": "marketplace.licensing.models.CREDIT_VALUES",
        "TrackStatusEnum": "marketplace.models.Track.Status",
        "DeliveryStatusEnum": "marketplace.webhooks.models.WebhookDelivery.Status",
        "WebhookEventEnum": "marketplace.webhooks.models.Webhook.Event",
        "VoteTargetTypeEnum": "voting.api.TARGETS",  # its keys: track, tool
        "ReportTargetTypeEnum": "marketplace.moderation.targets.TARGETS",  # its keys: track, creator, review
    },
}

AFFILIATE_TAG = "aimusicstore"
AFFILIATE_POSTBACK_SECRET = os.environ.get("AFFILIATE_POSTBACK_SECRET", "")
# Signed postbacks get their own bucket per secret (marketplace.purchases.postbacks), and an amount
# outside this range × the track's price is held for staff review instead of credited.
POSTBACK_RATE_LIMIT = os.environ.get("POSTBACK_RATE_LIMIT", "600/min")
POSTBACK_AMOUNT_RANGE = (Decimal("0.5"), Decimal(os.environ.get("POSTBACK_MAX_PRICE_MULTIPLE", "10")))
PURCHASE_URL_SCHEMES = ("https",)  # the Buy redirect only ever leaves for https links
# External previews (marketplace/analysis/fetch.py): https, on platform domains plus these staff-approved hosts.
AUDIO_FETCH_SCHEMES = ("https",)
AUDIO_PREVIEW_HOSTS = env_list("AUDIO_PREVIEW_HOSTS")
AUDIO_FETCH_ALLOWED_NETWORKS = ()  # private ranges a fetch may reach: none (tests point it at a local server)
AUDIO_FETCH_MAX_BYTES = 20 * 1024 * 1024
AUDIO_FETCH_TIMEOUT = 10

# Webhooks (marketplace/webhooks/services.py has the rules). Deliveries go over https to public
# addresses only; tests alone add http and the loopback network for a local receiver.
WEBHOOK_SCHEMES = ("https",)
WEBHOOK_ALLOWED_NETWORKS = ()
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_MAX_PER_USER = 10
WEBHOOK_RETRY_BASE_SECONDS = 60  # then 2, 4, 8 … minutes apart
WEBHOOK_RETRY_MAX_SECONDS = 6 * 3600
WEBHOOK_RETRY_FOR_SECONDS = 24 * 3600  # an event is retried for a day, the last attempt at that mark
WEBHOOK_COUNTDOWN_MAX_SECONDS = 300  # longer waits are picked up by the beat sweeper, not a countdown
WEBHOOK_DISABLE_AFTER_FAILURES = 10  # failed attempts in a row, with a delivery failed for a day
WEBHOOK_VOTE_WINDOW_SECONDS = 60  # vote.received: one delivery per track per window

# --- Security -------------------------------------------------------------
# Addresses or networks of the proxies in front of the web servers (docker-compose: its network).
# Only from these are X-Forwarded-For/-Proto believed (aimusicstore.http.ClientAddressMiddleware);
# empty (make run, make serve) means nobody's.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and not TESTING)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS only in production; `make run` (DEBUG) and `make serve` (plain http on 127.0.0.1) turn it off.
_HTTPS = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes by IP over plain http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if _HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Every script is a file from 'self' (STYLE.md: no inline scripts or on…= handlers). Styles allow
# inline because htmx injects its indicator style; previews and covers may be on https storage.
# Frames: nobody may frame us (and X-Frame-Options DENY) but the embed player, which widens it.
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "https:"],
        "media-src": [_SELF, "https:", "blob:"],
        "connect-src": [_SELF],
        "font-src": [_SELF, "data:"],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF, "https:"],  # Buy posts here, then redirects to the platform's https page
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=()")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "aimusicstore.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "aimusicstore.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The MCP SDK logs each /mcp exchange's transport start and stop at INFO (one per request here).
    "loggers": {"mcp": {"level": os.environ.get("MCP_LOG_LEVEL", "WARNING")}},
}

# Errors to Sentry when SENTRY_DSN is set (no personal data sent: no cookies or user, no request bodies,
# and no local variables, where a stack frame's values carried session keys and addresses).
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"], send_default_pii=False,
        include_local_variables=False, max_request_body_size="never",
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

CELERY_BEAT_SCHEDULE = {
    "recompute-scores": {"task": "voting.tasks.recompute_scores", "schedule": 300.0},
    "flush-view-counts": {"task": "marketplace.studio_tasks.flush_view_counts", "schedule": 60.0},
    "refresh-rankings": {"task": "voting.tasks.refresh_rankings", "schedule": 30.0},
    "rebase-trending": {"task": "voting.tasks.rebase_trending", "schedule": crontab(minute=17)},
    "refresh-facet-counts": {"task": "marketplace.tasks.refresh_facet_counts", "schedule": 600.0},
    "refresh-similar-lists": {"task": "marketplace.tasks.refresh_similar_lists", "schedule": 300.0},
    "detect-vote-abuse": {"task": "voting.tasks.detect_abuse", "schedule": 600.0},
    "reward-vote-consensus": {"task": "voting.tasks.reward_consensus", "schedule": 3600.0},
    "weekly-newsletter": {"task": "marketplace.newsletter.tasks.send_weekly_newsletter",
                          "schedule": crontab(minute=0, hour=9, day_of_week="mon")},
    "refresh-vote-trust": {"task": "voting.tasks.refresh_trust", "schedule": 3600.0},
    "retry-due-webhooks": {"task": "marketplace.webhooks.tasks.retry_due_webhooks", "schedule": 60.0},
}
# Each track's similar list, worked out ahead (marketplace.discovery.services): at most this many a run
# of the task, for about this many seconds, and again once a list is this old (or its track was edited).
SIMILAR_BATCH = int(os.environ.get("SIMILAR_BATCH", "10000"))
SIMILAR_SECONDS = float(os.environ.get("SIMILAR_SECONDS", "120"))
SIMILAR_MAX_AGE = timedelta(hours=float(os.environ.get("SIMILAR_MAX_AGE_HOURS", "24")))
# The weekly newsletter: addresses claimed per batch, and how long a claim holds before a crashed
# sender's unsent addresses are taken by the next run.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
NEWSLETTER_CLAIM_SECONDS = int(os.environ.get("NEWSLETTER_CLAIM_SECONDS", "600"))
