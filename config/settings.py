"""One settings file, read from the environment (see docs/adr/0002-settings-and-modes.md).

Demo mode is explicit: OSG_DEMO_MODE=1. Outside demo mode the process refuses to start
with the default secret key, with DEBUG on, or with MFA switched off.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "insecure-demo-key-do-not-use-in-production"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for mounted secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEMO_MODE = env_bool("OSG_DEMO_MODE")
DEBUG = env_bool("OSG_DEBUG")
SECRET_KEY = env_secret("OSG_SECRET_KEY", DEFAULT_SECRET_KEY if DEMO_MODE else "")
MFA_REQUIRED = env_bool("OSG_MFA_REQUIRED", default=not DEMO_MODE)

if not DEMO_MODE:
    problems = []
    if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY:
        problems.append("OSG_SECRET_KEY must be set to a private value")
    if DEBUG:
        problems.append("OSG_DEBUG must be off")
    if not MFA_REQUIRED:
        problems.append("OSG_MFA_REQUIRED must be on")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start outside demo mode: " + "; ".join(problems) + ". For a local demo set OSG_DEMO_MODE=1."
        )

ALLOWED_HOSTS = [h for h in os.environ.get("OSG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OSG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "safeguarding.core",
    "safeguarding.organisations",
    "safeguarding.accounts",
    "safeguarding.audit",
    "safeguarding.people",
    "safeguarding.access",
    "safeguarding.chronology",
    "safeguarding.standards",
    "safeguarding.casework",
    "safeguarding.frontdoor",
    "safeguarding.earlyhelp",
    "safeguarding.voice",
    "safeguarding.census",
    "safeguarding.care",
    "safeguarding.flags",
    "safeguarding.partnership",
    "safeguarding.sharing",
    "safeguarding.dataquality",
    "safeguarding.national",
    "safeguarding.learning",
    "safeguarding.section11",
    "safeguarding.caseaudits",
    "safeguarding.work",
    "safeguarding.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeguarding.core.middleware.RequestIdMiddleware",
    "safeguarding.core.middleware.BearerOnlyMiddleware",  # /fhir/ stops here: nothing below is for an API
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "safeguarding.accounts.middleware.SessionPolicyMiddleware",
    "safeguarding.accounts.middleware.PrincipalMiddleware",
]

ROOT_URLCONF = "config.urls"
BEARER_ONLY_URLCONFS = {"/fhir/": "config.fhir_urls"}  # core.middleware.BearerOnlyMiddleware
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
                "safeguarding.core.context_processors.service",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Only core.rows.prepared_cursor() binds server-side, so only the hot paths' statements are prepared,
        # after this many runs on a connection (ADR 0029). "off" for a pooler that cannot keep them.
        _prepare = os.environ.get("OSG_DB_PREPARE_THRESHOLD", "5")
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
            None if _prepare == "off" else int(_prepare)
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("OSG_SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
            "OPTIONS": {
                # WAL + IMMEDIATE transactions + a busy timeout: concurrent writers wait
                # instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "work:my-work"

# Lockout: five failures lock the account for 30 minutes (unlock is audited).
AXES_FAILURE_LIMIT = env_int("OSG_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguarding.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions: server-side, idle timeout (renewed on every request), absolute timeout.
SESSION_COOKIE_AGE = env_int("OSG_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("OSG_ABSOLUTE_TIMEOUT_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_SSL = env_bool("OSG_SECURE_SSL", default=not DEMO_MODE and not DEBUG)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("OSG_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("OSG_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script except the nonce'd one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # django-csp's sentinel, replaced by 'nonce-…' per response
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("OSG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("OSG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("OSG_FROM_EMAIL", "no-reply@open-safeguarding.invalid")
# The address e-mails link to (an e-mail has no request to take it from); the demo's own when unset.
SITE_URL = os.environ.get("OSG_SITE_URL", "http://127.0.0.1:8000" if DEMO_MODE else "").rstrip("/")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Service-level settings.
SERVICE_NAME = "Open Safeguarding"
OTP_TOTP_ISSUER = SERVICE_NAME  # the account name people see in their authenticator app
BREAK_GLASS_MINUTES = env_int("OSG_BREAK_GLASS_MINUTES", 60)
# The national flag connector (ADR 0024): "disabled" sends nothing; "file" uses OSG_NATIONAL_DIR.
OSG_NATIONAL_ADAPTER = os.environ.get("OSG_NATIONAL_ADAPTER", "disabled")
OSG_NATIONAL_DIR = os.environ.get("OSG_NATIONAL_DIR", "")
SEARCH_RESULT_LIMIT = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OSG_LOG_LEVEL", "WARNING")},
}

# Accounts lock per username. Locking per IP address as well would lock out a whole
# council office behind one NAT address after one person's mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
