"""Settings for the ATMP Expert Platform: one module, driven by environment variables.

With no environment at all the portal runs the demo: a SQLite file in the
project folder, Celery tasks run eagerly in-process, local-memory cache,
e-mail printed to the console. Production switches each part on through a
variable (see `.env.example` and the README's "Configuration" table):

    DATABASE_URL=postgres://...       PostgreSQL through psycopg 3
    CELERY_BROKER_URL / REDIS_URL     real Celery workers (Redis or RabbitMQ)
    REDIS_URL                         Redis cache
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core ------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
_DEV_SECRET = "insecure-dev-key-only-for-the-embedded-demo"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in e-mails; the Sites row's domain follows it on every migrate (platform_site/sites.py).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    # SimpleAdminConfig: our own discovery skips leaflet.admin, which imports GDAL.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third party
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "django_celery_results",
    "django_htmx",
    "django_bootstrap5",
    "simple_history",
    "django_countries",
    "import_export",
    # The platform
    "platform_site",
    "experts",
    "experts.knowledge",
    "trials",
    "trials.registers",
    "facilities",
    "economics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "platform_site.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Public pages for anonymous visitors, keyed by the data's version (platform_site/page_cache.py).
    "platform_site.page_cache.AnonymousPageCacheMiddleware",
    # Axes last, so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "platform_site.urls"
WSGI_APPLICATION = "platform_site.wsgi.application"

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
                "platform_site.context_processors.platform",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
# Unset: a SQLite file in the project folder. postgres://user@host:port/name: PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's default random_page_cost (4) models spinning disks; with it the planner reads
    # all 100,000 trials instead of the search index for a word found in 8% of them (74 ms against
    # 15 ms, docs/benchmarks.md). 1.1 is the usual value for SSDs and data that fits in memory.
    RANDOM_PAGE_COST = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", f"-c random_page_cost={RANDOM_PAGE_COST}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's RedisCache, except that while Redis is down reads miss and writes are skipped
    # instead of every page that touches the cache answering 500 (platform_site/cache_backends.py).
    CACHES = {"default": {"BACKEND": "platform_site.cache_backends.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "atmp"}}

# Anonymous page cache (platform_site/page_cache.py): entries are keyed by the data's version, so a
# write is visible at once; this only bounds how long unused entries stay. 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

# --- Celery ------------------------------------------------------------------
# No broker configured: tasks run eagerly in the calling process (the embedded demo).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False  # an eager failure is recorded as a failed job, as with a worker
CELERY_TASK_STORE_EAGER_RESULT = True
# Results go to the database (django-celery-results) so a job's state survives restarts.
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# A job whose worker dies is re-delivered rather than lost: a task is acknowledged only when it
# has finished; a pool process killed mid-task puts its message back at once; a whole worker
# killed (kill -9, lost machine) leaves its message unacknowledged, and Redis hands it to a live
# worker once the visibility timeout has passed. The timeout must exceed the longest task (the
# hard time limit), or a chunk still running would be handed out twice; and it must stay below
# ECONOMICS_STALE_JOB_SECONDS, so the re-delivered chunk finishes before the reaper gives up.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
    # Live workers look for such messages every 10 s (kombu's default sweep is every ~100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# --- Accounts ----------------------------------------------------------------
AUTH_USER_MODEL = "experts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ATMP Expert Platform] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

# One lockout policy, per account and IP: django-axes (below). allauth's own login limits count
# per IP across accounts ("10 failures a minute from this address"), so a colleague's typos
# behind the same NAT would lock everyone out before axes acts; they are switched off.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}

# django-axes: lock an account/IP pair out after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "platform_site.security.login_identifier"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Show the lockout page (429) to a locked-out login instead of a plain form error.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- E-mail ------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ATMP Expert Platform <no-reply@atmp-platform.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise) ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")  # collectstatic writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# --- Uploads (platform_site/uploads.py, the one guard every upload goes through) ---------------
# Uploads (cover sheets, CSV/XLSX imports) are capped; larger bodies are refused.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Zip bombs: an .xlsx is a zip; refuse one that unpacks to more than this or holds too many parts.
UPLOAD_MAX_UNPACKED_BYTES = env.int("UPLOAD_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_ZIP_MEMBERS = env.int("UPLOAD_MAX_ZIP_MEMBERS", default=500)
# Default row/column limits of a sheet or CSV (callers pass tighter ones), longest CSV field,
# deepest dotted key ("inputs.phases.0.cost_eur" is 4).
UPLOAD_MAX_ROWS = env.int("UPLOAD_MAX_ROWS", default=20_000)
UPLOAD_MAX_COLUMNS = env.int("UPLOAD_MAX_COLUMNS", default=200)
UPLOAD_MAX_FIELD_CHARS = env.int("UPLOAD_MAX_FIELD_CHARS", default=65_536)
UPLOAD_MAX_NESTING = env.int("UPLOAD_MAX_NESTING", default=12)

# --- Trials database (docs/trials-sheets.md) ------------------------------------------------
# Cover sheets uploaded for preview wait here until confirmed: private (they hold e-mail
# addresses, so never under MEDIA_ROOT) and shared by every web process.
TRIALS_SHEET_UPLOAD_DIR = env.path("TRIALS_SHEET_UPLOAD_DIR", default=BASE_DIR / "var" / "sheet-uploads")
# Largest cover sheet accepted, compressed and unzipped (a guard against zip bombs).
TRIALS_SHEET_MAX_BYTES = UPLOAD_MAX_BYTES
TRIALS_SHEET_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Filled rows and columns beyond these mean the file is not a cover sheet.
TRIALS_SHEET_MAX_ROWS = 1000
TRIALS_SHEET_MAX_COLUMNS = 200
# How many products one zip download of cover sheets may hold (built in memory).
TRIALS_EXPORT_MAX_PRODUCTS = 2000

# --- Economic evaluation ------------------------------------------------------------
# Monte Carlo ceiling per job, and simulations per Celery chunk (more chunks: more workers can help).
ECONOMICS_MAX_SIMULATIONS = env.int("ECONOMICS_MAX_SIMULATIONS", default=1_000_000)
ECONOMICS_DEFAULT_SIMULATIONS = env.int("ECONOMICS_DEFAULT_SIMULATIONS", default=10_000)
# Fixed (never derived from the worker count) so a seed reproduces the same numbers on any number of workers.
ECONOMICS_CHUNK_SIZE = env.int("ECONOMICS_CHUNK_SIZE", default=100_000)
ECONOMICS_TWO_WAY_MAX_STEPS = env.int("ECONOMICS_TWO_WAY_MAX_STEPS", default=15)
# A running job that has not moved for this long lost its worker (killed, out of memory).
ECONOMICS_STALE_JOB_SECONDS = env.int("ECONOMICS_STALE_JOB_SECONDS", default=CELERY_TASK_TIME_LIMIT + 120)

# --- Trial registers (trials.registers) ----------------------------------------------
# Refreshing trials from ClinicalTrials.gov, CTIS and the EU Clinical Trials Register is the only
# code that reaches out to the internet; it is off unless REGISTRY_REFRESH_ENABLED is set.
REGISTRY_REFRESH_ENABLED = env.bool("REGISTRY_REFRESH_ENABLED", default=False)
REGISTRY_CTGOV_URL = env.str("REGISTRY_CTGOV_URL", default="https://clinicaltrials.gov/api/v2")
REGISTRY_CTIS_URL = env.str("REGISTRY_CTIS_URL", default="https://euclinicaltrials.eu/ctis-public-api")
REGISTRY_EUCTR_URL = env.str("REGISTRY_EUCTR_URL", default="https://www.clinicaltrialsregister.eu/ctr-search/rest")
REGISTRY_USER_AGENT = env.str(
    "REGISTRY_USER_AGENT", default=f"ATMP Expert Platform register refresh (+{SITE_URL}/about/)"
)
REGISTRY_TIMEOUT_SECONDS = env.float("REGISTRY_TIMEOUT_SECONDS", default=20.0)
REGISTRY_RETRIES = env.int("REGISTRY_RETRIES", default=3)  # retries after the first try
REGISTRY_BACKOFF_SECONDS = env.float("REGISTRY_BACKOFF_SECONDS", default=2.0)  # doubled on each retry
REGISTRY_MIN_INTERVAL_SECONDS = env.float("REGISTRY_MIN_INTERVAL_SECONDS", default=1.0)  # per register
REGISTRY_REFRESH_BATCH_SIZE = env.int("REGISTRY_REFRESH_BATCH_SIZE", default=25)  # trials per Celery task
REGISTRY_REFRESH_MAX_AGE_DAYS = env.int("REGISTRY_REFRESH_MAX_AGE_DAYS", default=7)  # re-check after this
REGISTRY_REFRESH_EVERY_SECONDS = env.float("REGISTRY_REFRESH_EVERY_SECONDS", default=24 * 3600.0)
# --- Experts directory --------------------------------------------------------------
# Profile photos are private files (some are for approved experts only), served by a view.
EXPERTS_PHOTO_DIR = env.path("EXPERTS_PHOTO_DIR", default=BASE_DIR / "var" / "expert-photos")
EXPERTS_PHOTO_MAX_BYTES = env.int("EXPERTS_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
EXPERTS_PHOTO_MAX_PIXELS = env.int("EXPERTS_PHOTO_MAX_PIXELS", default=40_000_000)
# Contact form: messages a member may send per hour, and an expert may receive per day.
EXPERTS_CONTACT_PER_SENDER_PER_HOUR = env.int("EXPERTS_CONTACT_PER_SENDER_PER_HOUR", default=10)
EXPERTS_CONTACT_PER_RECIPIENT_PER_DAY = env.int("EXPERTS_CONTACT_PER_RECIPIENT_PER_DAY", default=20)

# --- Facilities and the GMP coordination hub ---------------------------------------
FACILITIES_LIST_PAGE_SIZE = env.int("FACILITIES_LIST_PAGE_SIZE", default=50)
# Similarity (0-1) from which a trial's lead-manufacturing text is suggested as a facility match.
FACILITIES_MATCH_THRESHOLD = env.float("FACILITIES_MATCH_THRESHOLD", default=0.55)
# A rendered /api/facilities/ body is kept this long; its key is the ETag, so edits never serve stale data.
FACILITIES_API_CACHE_SECONDS = env.int("FACILITIES_API_CACHE_SECONDS", default=300)
# A service offer not confirmed for this many days is shown as stale.
FACILITIES_OFFER_STALE_DAYS = env.int("FACILITIES_OFFER_STALE_DAYS", default=365)
# Matches shown for one manufacturing need.
FACILITIES_HUB_MATCHES = env.int("FACILITIES_HUB_MATCHES", default=20)
# Rows validated between two progress updates of an import job, and the most rows a file may have.
FACILITIES_IMPORT_CHUNK_ROWS = env.int("FACILITIES_IMPORT_CHUNK_ROWS", default=500)
FACILITIES_IMPORT_MAX_ROWS = env.int("FACILITIES_IMPORT_MAX_ROWS", default=100_000)

# --- Maps --------------------------------------------------------------------
# Tiles are the only external resource a page may reference; the map works without them.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="&copy; OpenStreetMap contributors")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.0, 10.0),
    "DEFAULT_ZOOM": 4,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "TILES": [("Map", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})] if MAP_TILE_URL else [],
    "PLUGINS": {
        "markercluster": {
            "css": [
                "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css",
            ],
            "js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
            "auto-include": False,
        },
    },
}


def _origin(url: str) -> str:
    """The scheme://host part of a tile URL template, for the CSP allow-list."""
    parts = url.split("/")
    return "/".join(parts[:3]) if url.startswith("http") else ""


# --- Security headers ----------------------------------------------------------
_TILE_ORIGIN = _origin(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Leaflet and Bootstrap set inline style attributes for positioning.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"] + ([_TILE_ORIGIN] if _TILE_ORIGIN else []),
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API ----------------------------------------------------------------
REST_FRAMEWORK = {
    # Documents 400/403/404 on every operation (platform_site.api_contract.py).
    "DEFAULT_SCHEMA_CLASS": "platform_site.api_contract.PlatformAutoSchema",
    # Empty query values (`?country=`) mean "no filter" (platform_site/api_filters.py).
    "DEFAULT_FILTER_BACKENDS": ["platform_site.api_filters.EmptyValuesMeanNoFilter"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute", "user": "1200/minute"},
    # Error bodies are JSON of plain strings, never a Python repr.
    "EXCEPTION_HANDLER": "platform_site.api_contract.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ATMP Expert Platform API",
    "DESCRIPTION": "Curated ATMP products and clinical trials in Europe, GMP facilities, and rNPV evaluations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo accounts' passwords are printed only when DEBUG is on (load_demo).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-password-2026")

# --- Knowledge sharing (experts/knowledge: case studies, resources, Q&A, events, site search) ---
# Experts e-mailed about a new question (the best matches of expertise areas and ATMP type).
KNOWLEDGE_QUESTION_ROUTING_MAX = env.int("KNOWLEDGE_QUESTION_ROUTING_MAX", default=5)
# Hour (UTC) at which the daily digest of questions and answers is sent.
KNOWLEDGE_DIGEST_HOUR = env.int("KNOWLEDGE_DIGEST_HOUR", default=6)
# A resource not verified by a curator for this many days carries an "unverified" badge.
KNOWLEDGE_RESOURCE_STALE_DAYS = env.int("KNOWLEDGE_RESOURCE_STALE_DAYS", default=365)
# Seconds the link check waits for each resource's source URL.
KNOWLEDGE_LINK_CHECK_TIMEOUT = env.float("KNOWLEDGE_LINK_CHECK_TIMEOUT", default=10.0)
# --- Periodic tasks (celery beat: `make beat`, one per deployment) --------------------
CELERY_BEAT_SCHEDULE = {
    # Jobs recorded while the broker was down are sent again.
    "economics-dispatch-waiting-jobs": {"task": "economics.dispatch_waiting_jobs", "schedule": 30.0},
    "facilities-dispatch-waiting-imports": {"task": "facilities.dispatch_waiting_imports", "schedule": 30.0},
    # Does nothing unless REGISTRY_REFRESH_ENABLED is set.
    "registers-refresh-trials": {"task": "registers.refresh_due_trials", "schedule": REGISTRY_REFRESH_EVERY_SECONDS},
    "knowledge-daily-digest": {
        "task": "knowledge.send_daily_digests",
        "schedule": crontab(minute=0, hour=KNOWLEDGE_DIGEST_HOUR),
    },
    "knowledge-link-check": {
        "task": "knowledge.check_resource_links",
        "schedule": crontab(minute=30, hour=3, day_of_week=1),
    },
}
