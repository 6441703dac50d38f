"""Settings for the interview platform, read from the environment (and an optional `.env`).

Every variable is listed with its default in `.env.example`. With no `DATABASE_URL` the project
runs on SQLite (`db.sqlite3`); a `postgres://` URL switches to PostgreSQL with Django's native
psycopg pool, or to PgBouncer-safe settings with `DB_PGBOUNCER=1`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from core.cache import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Set it in the environment "
            "or in .env (see .env.example), or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

VERSION = "0.1.0"

INSTALLED_APPS = [
    "config.apps.PlatformAdminConfig",  # django.contrib.admin with our site (config.admin)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    "core",  # the shared kernel (see README, Layout)
    "config",  # the project's plumbing: its system checks
    "accounts",
    "interviews",
    "assessments",
]

try:  # development tool (requirements-dev.txt): `manage.py lintmigrations` in CI
    import django_migration_linter  # noqa: F401

    INSTALLED_APPS.append("django_migration_linter")
except ImportError:
    pass
# The organizations migrations (issue 9) backfill a required column on every tenant table and
# index it: on SQLite that is a table rebuild, on PostgreSQL a full UPDATE, SET NOT NULL and
# CREATE INDEX under lock. That cannot be done without a lock on a live table; it is a one-off,
# run in a maintenance window (docs/scale.md, "Upgrading to organizations", has the timings).
MIGRATION_LINTER_OPTIONS = {
    "ignore_name": [
        "0002_organization",
        "0005_organizations_positions_invitations",
        "0006_organization",
    ],
}

MIDDLEWARE = [
    # First: it reads what any layer below left unread of the request body, 400s included.
    "config.middleware.UnreadBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# --- Database -----------------------------------------------------------------------------------

# An empty DATABASE_URL (as in a copied .env.example) means "not set": SQLite.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DB_PGBOUNCER = env.bool("DB_PGBOUNCER", default=False)

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DB_PGBOUNCER:
        # Transaction pooling: a server connection is not ours between transactions, so no
        # server-side cursors, no prepared statements, and no client-side pool on top of it.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool owns connection reuse
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
            "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        }
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=2)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the development server and a shell write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# After a failed connection, requests answer 503 at once for this long, then one background probe
# tries again (core.breaker); 0 turns the breaker off.
DB_OUTAGE_RETRY_SECONDS = env.float("DB_OUTAGE_RETRY_SECONDS", default=2.0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------

# The cache holds state every server process must share (login failures of unknown emails,
# throttles). Local memory is for a single development process; deployments use Redis.
# `?key_prefix=` in the URL becomes Django's KEY_PREFIX, so deployments can share one Redis
# database without sharing lockout counters and throttle buckets. While the cache is
# unreachable, login (and registration when throttled) answers 503: README, "Accounts".
CACHES = {
    "default": cache_settings(
        env.str("CACHE_URL", default="locmemcache://"),
        socket_timeout=env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
    )
}

# --- Accounts, login and tokens -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_MAX_LENGTH = 256

LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
LOGIN_THROTTLE_RATE = env.str("LOGIN_THROTTLE_RATE", default="") or None
TOKEN_TTL = timedelta(hours=env.float("TOKEN_TTL_HOURS", default=168))
# Organizations (SPEC section 9): where self-registered candidates get their profile (empty:
# invitation only), and how long an invitation's token lives.
REGISTRATION_ORGANIZATION = env.str("REGISTRATION_ORGANIZATION", default="default")
INVITATION_TTL = timedelta(hours=env.float("INVITATION_TTL_HOURS", default=168))

# Email is unique among live users through a partial unique constraint, which the auth system
# check cannot see; the lockout backend looks users up case-insensitively among live rows.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# WhiteNoise serves the collected static files (admin, Swagger UI) from gunicorn itself.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# --- HTTPS and security (on when debug is off; each switchable for loopback or a TLS proxy) -----

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
# Trust X-Forwarded-Proto only behind a proxy that sets it (a client could send it otherwise).
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For. 0: the header is
# ignored and the peer address is the client (core.proxies.client_address, the one rule used
# for the login throttle and everything else that asks who the client is).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^health"]
X_FRAME_OPTIONS = "DENY"

# Request bodies: 2 MiB of JSON or form data; multipart uploads (a resume is at most 10 MiB) up
# to 11 MiB with their envelope. Larger bodies get 413 (config.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_UPLOAD_REQUEST_BYTES = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- REST framework -----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterBackend",
        "core.api.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Our throttles ask core.proxies.client_address; this keeps DRF's own get_ident (used by
    # any throttle that does not override it) from trusting a client's X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Interview platform API",
    "DESCRIPTION": "Accounts, candidates, interviews, transcripts and assessments.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI and ReDoc come from drf-spectacular-sidecar (pinned in requirements.txt) through
    # the static files: the docs work offline and under a strict CSP, and load no code from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No spec validation by swagger.io's online validator (a request to another host).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "InterviewStatusEnum": "interviews.models.InterviewStatus",
        "CandidateStatusEnum": "interviews.models.CandidateStatus",
        "AccountStatusEnum": "accounts.models.AccountStatus",
        "ParsingStatusEnum": "interviews.models.ParsingStatus",
        "InvitationStatusEnum": "interviews.models.InvitationStatus",
    },
}

# --- Background jobs (Celery: config/celery.py, core/jobs.py; README "Background jobs") ---------

# Empty: the embedded development broker, kombu's filesystem transport in JOB_QUEUE_DIR (no extra
# service, works with SQLite; a message in flight when its worker is killed is lost, and the
# sweeper enqueues that job again). Production: RabbitMQ, amqp://USER:PASSWORD@HOST:5672//;
# Redis, redis://HOST:6379/N, works too.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://localhost//"
JOB_QUEUE_DIR = Path(env.str("JOB_QUEUE_DIR", default="") or BASE_DIR / ".queue")
if CELERY_BROKER_URL.startswith("filesystem:"):
    # One folder is both ends of the queue: web processes write it, workers read it.
    for folder in ("messages", "control"):
        (JOB_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(JOB_QUEUE_DIR / "messages"),
        "data_folder_out": str(JOB_QUEUE_DIR / "messages"),
        "control_folder": str(JOB_QUEUE_DIR / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis:", "rediss:")):
    # Redis hands an unacknowledged message to another worker after this long: keep it above
    # the longest job (CELERY_TASK_TIME_LIMIT) and the longest retry countdown.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_REDIS_VISIBILITY_TIMEOUT", default=3600)
    }
else:
    # RabbitMQ confirms each published message: once on_commit's publish returns, it is stored.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
# A web request publishes after its commit: with the broker down it gives up after about
# (1 + max_retries) x CELERY_BROKER_CONNECTION_TIMEOUT, logs a warning and answers as usual;
# the sweeper enqueues the job later. Workers keep retrying their connection.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# At least once: a message is acknowledged after its job ran, so a worker killed mid-job (even
# with kill -9) leaves it to the broker, which hands it to another worker. Jobs are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A job that failed for good or ran out of time is acknowledged, not redelivered forever.
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=270)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="jobs")
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)
CELERY_IMPORTS = ["core.tasks"]
# The sweeper re-enqueues work that is due and not claimed (core.jobs.register_sweep); a sweep
# that waited longer than its interval is dropped, as the next one does the same.
JOB_SWEEP_SECONDS = env.float("JOB_SWEEP_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "sweep": {
        "task": "core.tasks.sweep",
        "schedule": JOB_SWEEP_SECONDS,
        "options": {"expires": JOB_SWEEP_SECONDS},
    }
}

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
