"""Settings, all read from the environment.

GONGZHI_VAR_DIR  folder for the embedded SQLite database, uploads and logs (default ./var)
DATABASE_URL     e.g. postgres://user:pass@host:5432/gongzhi (default: SQLite in GONGZHI_VAR_DIR)
SECRET_KEY       required when DEBUG is off
DEBUG            "1" to turn on debug pages (default off)
ALLOWED_HOSTS    comma-separated host names (default 127.0.0.1,localhost)
GONGZHI_DATA_KEYS    "id:secret[,old-id:old-secret…]": encrypts phones, ID numbers, home addresses (required when
                     DEBUG is off)
GONGZHI_LOOKUP_KEYS  "id:secret[,…]": keyed hashes for looking personal data up (required when DEBUG is off)
GONGZHI_CIPHER       dotted path of the cipher class (default gongzhi.core.crypto.AESGCMCipher)
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("GONGZHI_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("GONGZHI_REQUIRE_SECRET", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-dev-key-do-not-use-in-production"  # noqa: S105
# Personal data at rest (gongzhi.core.crypto). Built-in development keys only with DEBUG on, under the test suite,
# or with GONGZHI_DEV_KEYS=1 (the demo sets it); otherwise the keys must come from the environment.
DEV_KEYS_ALLOWED = DEBUG or "pytest" in sys.modules or env_bool("GONGZHI_DEV_KEYS", False)


def secret_keys(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        if not DEV_KEYS_ALLOWED:
            raise RuntimeError(f"{name} must be set when DEBUG is off (see the README's production section)")
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

# django-axes: lock an account+IP pair after 5 failures, and any IP after 20, for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- I18N -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
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
