"""Settings, all read from the environment.

GONGZHI_VAR_DIR  folder for the embedded SQLite database, uploads and logs (default ./var)
DATABASE_URL     e.g. postgres://user:pass@host:5432/gongzhi (default: SQLite in GONGZHI_VAR_DIR)
SECRET_KEY       required when DEBUG is off (the server refuses to start without it); with DEBUG on and no key,
                 a random key is kept in GONGZHI_VAR_DIR/dev-secret-key
DEBUG            "1" to turn on debug pages (default off)
ALLOWED_HOSTS    comma-separated host names (default 127.0.0.1,localhost)
SECURE_SSL_REDIRECT=1, SECURE_PROXY_SSL_HEADER=1 (behind a proxy setting X-Forwarded-Proto), SECURE_HSTS_SECONDS,
SECURE_COOKIES=1: HTTPS in production (see the README)
GONGZHI_DATA_KEYS    "id:secret[,old-id:old-secret…]": encrypts phones, ID numbers, home addresses (required when
                     DEBUG is off)
GONGZHI_LOOKUP_KEYS  "id:secret[,…]": keyed hashes for looking personal data up (required when DEBUG is off)
GONGZHI_CIPHER       dotted path of the cipher class (default gongzhi.core.crypto.AESGCMCipher)
"""

import os
import sys
from pathlib import Path

import dj_database_url

from gongzhi.core.paths import var_dir

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string (DEBUG is off), or set DEBUG=1 for development."
        )
    from gongzhi.core.paths import dev_secret_key

    SECRET_KEY = dev_secret_key(VAR_DIR)
# Personal data at rest (gongzhi.core.crypto). Built-in development keys only with DEBUG on, under the test suite,
# or with GONGZHI_DEV_KEYS=1 (the demo sets it); otherwise the keys must come from the environment.
DEV_KEYS_ALLOWED = DEBUG or "pytest" in sys.modules or env_bool("GONGZHI_DEV_KEYS", False)


def secret_keys(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        if not DEV_KEYS_ALLOWED:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (see the README's production section)")
        value = f"dev:insecure-development-{name.lower()}"
    return value


GONGZHI_DATA_KEYS = secret_keys("GONGZHI_DATA_KEYS")
GONGZHI_LOOKUP_KEYS = secret_keys("GONGZHI_LOOKUP_KEYS")
GONGZHI_CIPHER = os.environ.get("GONGZHI_CIPHER", "gongzhi.core.crypto.AESGCMCipher")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

from gongzhi.core.modules import discover_apps  # noqa: E402

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # every gongzhi.<module> package with an apps.py (core, accounts, registry, demands first)
    *discover_apps(),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongzhi.core.middleware.SecurityHeadersMiddleware",  # CSP and no-store on everything but static files
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongzhi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongzhi.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "gongzhi.urls"
WSGI_APPLICATION = "gongzhi.wsgi.application"

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
                "gongzhi.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "gongzhi.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Persistent connections (one per server thread): opening SQLite and running the PRAGMAs below cost more than
    # a simple request.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["OPTIONS"] = {
        # WAL for concurrent readers; FULL sync so a committed write survives power loss;
        # IMMEDIATE transactions so writers queue on busy_timeout instead of failing mid-transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle timeout: the session expires after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS (production): redirect plain HTTP, trust the proxy's X-Forwarded-Proto, Strict-Transport-Security.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
# preload (the browsers' built-in HTTPS list) needs a year and the subdomains; SECURE_HSTS_PRELOAD=0 opts out
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000 and SECURE_HSTS_INCLUDE_SUBDOMAINS)
# Content-Security-Policy of every page (gongzhi.core.middleware.SecurityHeadersMiddleware): scripts and
# everything else from this origin only, no inline script. Styles allow inline `style` attributes (templates and
# the chart library set them); uploads are served with their own `sandbox` policy (gongzhi.core.media).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# django-axes, for 30 minutes: an account from one IP is locked after AXES_FAILURE_LIMIT (5) failures; one IP
# after AXES_IP_FAILURE_LIMIT (20) failures over any usernames; an account from every IP only after
# AXES_USERNAME_FAILURE_LIMIT (100), so nobody can lock a known account out from elsewhere cheaply.
# (axes has one limit for every parameter set; gongzhi.accounts.lockout scales the counts to give each its own.)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_USERNAME_FAILURE_LIMIT = int(os.environ.get("AXES_USERNAME_FAILURE_LIMIT", "100"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "gongzhi.accounts.lockout.SeparateLimitsHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- I18N -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"  # every screen, export and message shows local time
FORMAT_MODULE_PATH = ["gongzhi.formats"]  # Chinese date formats (gongzhi/formats/zh_Hans)
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploads are read only through gongzhi.core.media.serve (scope-checked, or a signed expiring link).
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
GONGZHI_MAX_IMAGE_PIXELS = int(os.environ.get("GONGZHI_MAX_IMAGE_PIXELS", "30000000"))  # 30 megapixels
GONGZHI_SIGNED_MEDIA_MAX_AGE = int(os.environ.get("GONGZHI_SIGNED_MEDIA_MAX_AGE", str(7 * 24 * 3600)))  # seconds
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background jobs ------------------------------------------------------
# django-tasks with its database backend; run `gongzhi manage db_worker` beside the web server.
# GONGZHI_TASKS=immediate runs every task in the request (tests, tiny installs).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("GONGZHI_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongzhi@localhost")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

PAGE_SIZE = 25
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "gongzhi.core.apitypes.BoundedLimitOffset"  # bounded limit and offset (422, not 500)

# Shared by all web workers (rate limits on anonymous intake and tracking look-ups live here).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("GONGZHI_CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

# Module settings, all overridable from the environment.
GONGZHI_TRIAGE_THRESHOLD = float(os.environ.get("GONGZHI_TRIAGE_THRESHOLD", "0.6"))  # auto-accept at or above
GONGZHI_INTAKE_RATE_LIMIT = int(os.environ.get("GONGZHI_INTAKE_RATE_LIMIT", "10"))  # anonymous submissions / IP / hour
GONGZHI_TRACK_RATE_LIMIT = int(os.environ.get("GONGZHI_TRACK_RATE_LIMIT", "30"))  # failed look-ups / IP / hour
GONGZHI_SMS_BACKEND = os.environ.get("GONGZHI_SMS_BACKEND", "")  # dotted path; empty = console (the log)
GONGZHI_PUBLIC_URL = os.environ.get("GONGZHI_PUBLIC_URL", "")  # e.g. https://gongzhi.example.cn: links in SMS
