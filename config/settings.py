"""Almanac settings: one file, every deploy-time value from the environment.

Development needs nothing set (DEBUG on, SQLite next to this project).
Production is the same file with DJANGO_DEBUG=0 and the secrets set; see
docs/deploy.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "core",
    "accounts",
    "timeline",
    "library",
    "reviews",
    "sharing",
    "portability",
]

MIDDLEWARE = [
    "core.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.AlmanacLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.htmx.VaryOnHtmxMiddleware",
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

# SQLite by default; DATABASE_URL (e.g. postgres://user@host/db) for anything else.
_sqlite_options = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Connecting costs several milliseconds a request: keep connections for ten
    # minutes, checked before reuse so a restarted server costs one retry, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_CONN_HEALTH_CHECKS", True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **_sqlite_options,
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests use a file, not SQLite's in-memory database: the browser tests' live
    # server answers requests in several threads, and an in-memory database is
    # one connection shared by all of them.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("ALMANAC_TEST_DB", str(BASE_DIR / "test-db.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In the database, so every server process shares it: the login throttle
# (core/throttle.py) counts failed logins here. The table is made by a
# migration (core 0001) and by `manage.py createcachetable`.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "almanac_cache",
        # Past MAX_ENTRIES the cache deletes a third of its rows, live ones too: at
        # Django's default of 300, a hundred failed logins anywhere would erase the
        # counts. Expired rows go first, so only a flood within one window reaches this.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # Per process: rendered pages (core/pagecache.py), whose keys name their owner's
    # data version (kept in "default"), so no process can serve a stale copy. A page is
    # 30-400 KB: 100 of them bound a worker's memory for this to some tens of MB.
    "pages-local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "almanac-pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}
# The year page, share page, compare and export.md served from the cache until the
# owner's data changes (core/pagecache.py); 0 renders every request.
PAGE_CACHE = env_bool("ALMANAC_PAGE_CACHE", True)
# A cache alias (e.g. a Redis one added to CACHES) to share rendered pages between
# processes; by default each process keeps its own (the versions are always shared).
PAGE_CACHE_SHARED = os.environ.get("ALMANAC_PAGE_CACHE_SHARED") or None
# Each process writes the share pages' view counts at most this often (sharing/services.py).
SHARE_VIEWS_WRITE_SECONDS = env_int("ALMANAC_SHARE_VIEWS_WRITE_SECONDS", 60)
# A Server-Timing header (total, db, render) on every response: on in development.
SERVER_TIMING = env_bool("ALMANAC_SERVER_TIMING", DEBUG)
# Reverse proxies in front of the app whose X-Forwarded-For the login throttle trusts.
LOGIN_THROTTLE_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews:home"
LOGOUT_REDIRECT_URL = "login"
# Anyone may create an account at /accounts/signup/ only when this is on; otherwise
# accounts come from createsuperuser and from invitations (docs/deploy.md).
ALMANAC_OPEN_SIGNUP = env_bool("ALMANAC_OPEN_SIGNUP", False)
# The address people reach this Almanac at, for links printed outside a request
# (`manage.py invite`); e.g. https://almanac.example.com
ALMANAC_BASE_URL = os.environ.get("ALMANAC_BASE_URL", "").rstrip("/")

LANGUAGE_CODE = "en"
# The interface speaks these; LocaleMiddleware picks one from the language cookie (set by
# the switcher in the header) or else the browser's Accept-Language.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Photos live here but are never served from a public URL: a view checks the owner.
MEDIA_ROOT = Path(os.environ.get("ALMANAC_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Mail: the console in development; SMTP from the environment in production.
MAILERS = {
    "default": {
        "BACKEND": "core.mail.ReadableConsoleBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {}
        if DEBUG
        else {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            # Without one, a mail server that never answers holds a worker for minutes.
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    }
}

# The sender of password reset mail; a mail server may refuse webmaster@localhost.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Security headers. A strict policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto and redirect plain HTTP.
if env_bool("DJANGO_BEHIND_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
