"""Settings for mutualwatch, read from the environment.

Every setting that varies between machines is declared here once, with its default for
local use. Production (``MUTUALWATCH_ENV=production``) refuses to start without a secret key.
See ``.env.example`` for the full list.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mutualwatch.environment import data_dir, env_flag

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" (the default, for a laptop), "test" or "production".
ENVIRONMENT = os.environ.get("MUTUALWATCH_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"

# Where mutualwatch keeps its SQLite database, uploaded source copies and caches.
DATA_DIR = data_dir(os.environ.get("MUTUALWATCH_DATA_DIR"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production refuses to start without a secret key: "
            "set DJANGO_SECRET_KEY to a long random string (see .env.example)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

DEBUG = env_flag("DJANGO_DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Shows the "fictional demo data" banner on every page (set by `mutualwatch demo`).
DEMO_MODE = env_flag("MUTUALWATCH_DEMO", default=False)
# This site's public address (e.g. https://mutualwatch.example.org), for what leaves the site:
# the branch packs `mutualwatch branch-pack` prints give their record links with it.
SITE_URL = os.environ.get("MUTUALWATCH_SITE_URL", "").rstrip("/")

# Members' terms and conditions are special-category data, sealed at rest with this key (32
# url-safe base64 bytes: `mutualwatch workforce-new-key`). Production refuses to start without
# it. Keys it replaced, comma-separated, still open what they sealed until resealed.
WORKFORCE_KEY = os.environ.get("MUTUALWATCH_WORKFORCE_KEY", "")
if IS_PRODUCTION and not WORKFORCE_KEY:
    raise ImproperlyConfigured(
        "MUTUALWATCH_WORKFORCE_KEY is not set. Production refuses to start without the key that "
        "seals members' terms and conditions: run `mutualwatch workforce-new-key` and set it."
    )
WORKFORCE_OLD_KEYS = env_list("MUTUALWATCH_WORKFORCE_OLD_KEYS", "")
# Disclosure control of the published workforce tables: a cell needs this many respondents
# (10, as UK secure research environments use; never below 5) ...
WORKFORCE_MIN_RESPONDENTS = int(os.environ.get("MUTUALWATCH_WORKFORCE_MIN_RESPONDENTS", "10"))
if WORKFORCE_MIN_RESPONDENTS < 5:
    raise ImproperlyConfigured(
        f"MUTUALWATCH_WORKFORCE_MIN_RESPONDENTS is {WORKFORCE_MIN_RESPONDENTS}; it is never "
        "below 5."
    )
# ... and no pay or headcount cell may have its two largest contributors over this share.
WORKFORCE_DOMINANCE = float(os.environ.get("MUTUALWATCH_WORKFORCE_DOMINANCE", "0.9"))
# How long workforce records and evidence are kept before they are deleted (days; default six
# years), and how long a member's questionnaire link stays open (days).
WORKFORCE_RETENTION_DAYS = int(os.environ.get("MUTUALWATCH_WORKFORCE_RETENTION_DAYS", "2190"))
QUESTIONNAIRE_LINK_DAYS = int(os.environ.get("MUTUALWATCH_QUESTIONNAIRE_LINK_DAYS", "14"))
# How long an administrator's break-glass access to one branch's records lasts (minutes).
WORKFORCE_BREAK_GLASS_MINUTES = int(
    os.environ.get("MUTUALWATCH_WORKFORCE_BREAK_GLASS_MINUTES", "60")
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "mutualwatch.register",
    "mutualwatch.branches",
    "mutualwatch.councils",
    "mutualwatch.procurement",
    "mutualwatch.registers",
    "mutualwatch.matching",
    "mutualwatch.demoworld",
    "mutualwatch.workspace",
    "mutualwatch.analysis",
    "mutualwatch.publishing",
    "mutualwatch.packs",
    "mutualwatch.workforce",
    "mutualwatch.campaigns",
    "mutualwatch.foi",
    "mutualwatch.guidance",
    "mutualwatch.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mutualwatch.untrusted_text.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutualwatch.urls"
WSGI_APPLICATION = "mutualwatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mutualwatch" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutualwatch.publishing.context_processors.site",
                "mutualwatch.workspace.context_processors.navigation",
            ],
        },
    },
]

# SQLite in DATA_DIR is the embedded default; production points DATABASE_URL at PostgreSQL.
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'mutualwatch.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # Parameters bound by the server, so that psycopg prepares a statement the connection
    # has run a few times: planning was most of PostgreSQL's time on a public page.
    prepare = os.environ.get("MUTUALWATCH_PREPARED_STATEMENTS", "1") != "0"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2 if prepare else None}
    )
    # The register's tables are small and held in memory. PostgreSQL's default cost of a
    # random read (4, for spinning disks) made it hash all 4,400 providers to name a council's
    # fifty rows: most of the database's time on a council or service page.
    random_page_cost = os.environ.get("MUTUALWATCH_POSTGRES_RANDOM_PAGE_COST", "1.1")
    if random_page_cost:
        DATABASES["default"]["OPTIONS"]["options"] = f"-c random_page_cost={random_page_cost}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mutualwatch.branches.logins.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Failed logins: after this many failures for one username from one address, that pair
# is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("MUTUALWATCH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And after this many failures from one address, whatever the usernames (password spraying),
# the address is locked out for the same time (mutualwatch/branches/logins.py).
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("MUTUALWATCH_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
# Addresses of the reverse proxies in front of mutualwatch, comma-separated. Only a request
# from one of them has its client's address read from X-Forwarded-For; by default none is
# trusted and the connection's own address counts.
TRUSTED_PROXIES = frozenset(env_list("MUTUALWATCH_TRUSTED_PROXIES", ""))
AXES_CLIENT_IP_CALLABLE = "mutualwatch.branches.logins.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns about a missing folder even before `collectstatic` has run.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "mutualwatch" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Rendered charts, visitors' pages and other derived results: on disk, so they survive a
# restart. A national register has thousands of pages; Django's default of 300 entries would
# evict rendered charts and pages as fast as they are made.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}
# Serve visitors' pages whole from the cache while the register is unchanged. Off only to
# measure or debug page rendering (bench/web.py measures both).
CACHE_PUBLIC_PAGES = env_flag("MUTUALWATCH_CACHE_PUBLIC_PAGES", default=True)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Where visitors get the site's source code (GNU AGPL, section 13). Empty: /source/ serves an
# archive of the files the site runs from, a host's own changes included.
SOURCE_URL = os.environ.get("MUTUALWATCH_SOURCE_URL", "")

# Where the OCDS standard (release schema and codelists) is read from; never fetched during
# ingest. By default the copy of OCDS 1.1.5 that ships inside the package; set it to use
# another (`mutualwatch fetch-standard` downloads one).
SHIPPED_OCDS_STANDARD_DIR = BASE_DIR / "mutualwatch" / "procurement" / "ocds_standard"
OCDS_STANDARD_DIR = Path(os.environ.get("MUTUALWATCH_OCDS_STANDARD") or SHIPPED_OCDS_STANDARD_DIR)

# The register store: companies, societies and control statements in one DuckDB file
# (bulk data the pages never read directly). Each ingest's temporary files go beside it.
REGISTERS_STORE = Path(os.environ.get("MUTUALWATCH_REGISTERS_STORE", DATA_DIR / "registers.duckdb"))
# How much memory DuckDB may hold for the register store before it spills to disk beside it
# (DuckDB's own default is 80% of the machine's memory). A national link needs about 4 GB.
REGISTERS_MEMORY_LIMIT = os.environ.get("MUTUALWATCH_REGISTERS_MEMORY_LIMIT", "4GB")
# The most a register zip may expand to on disk (bytes): the real BasicCompanyData is about
# 2.5 GB unzipped; more than this budget is refused as a zip bomb or the wrong file.
REGISTERS_MAX_EXPANDED_BYTES = int(
    os.environ.get("MUTUALWATCH_REGISTERS_MAX_EXPANDED_BYTES", str(20 * 1024**3))
)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response: scripts, styles, fonts and data only from the site
# itself, never inline, never eval (the fates charts use vega's expression interpreter), and
# no framing. Images may also be data: URIs (the admin's icons).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # Styles from the site too, and the one stylesheet vega-embed inserts to size a chart to
    # its column, allowed by its hash: ".vega-chart { width: 100%; }".
    "style-src": [CSP.SELF, "'sha256-LEh/7mvw1Qqy8FO6t52/j1LT5rcz3yttYWacq7vp4t8='"],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' HSTS preload list is hard to undo, so it is each host's own
        # decision (DJANGO_HSTS_PRELOAD=1), not a default to be warned about.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MUTUALWATCH_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every pack at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
AXES_VERBOSE = False
