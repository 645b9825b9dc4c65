"""FloorPlan settings: one module, driven by environment variables."""

import contextlib
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FLOORPLAN_VAR_DIR", BASE_DIR / "var"))

# Patient data on disk (the SQLite database, signed PDFs, batch outputs, uploaded lists) is
# for this account alone: every file this process creates is 0600 and every folder 0700.
# Set here because every entry point (manage.py, WSGI, the worker, pytest) loads settings
# before it opens a file; SQLite gives its -wal and -shm files the database file's mode.
os.umask(0o077)


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _private(path: Path, mode: int) -> None:
    # Tightens files and folders made before the umask above (0644/0755 in old checkouts);
    # one this account does not own is left to its owner.
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.chmod(mode)


def _development_secret_key() -> str:
    # Generated once per machine into var/, so sessions survive restarts without a
    # secret ever being committed.
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = envbool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "clinic",
    "assessments",
    "careplans",
    "practice",
]

MIDDLEWARE = [
    # First: its time covers every other middleware (clinic.request_log).
    "clinic.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinic.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sends a signed-in user who still owes a two-factor code (or enrolment) to that page.
    "clinic.middleware.TwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: signs out after the clinic's idle time, with a message.
    "clinic.idle.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clinic.middleware.ContentSecurityPolicyMiddleware",
    "clinic.middleware.PrivateResponseMiddleware",
    # An id past 64 bits in an address is a 404 for every view (no database row has one).
    "clinic.ids.IdRangeMiddleware",
    # Last: it turns a refused sign-in into the lockout page (clinic.views.account).
    "axes.middleware.AxesMiddleware",
]

# Optional Prometheus metrics (django-prometheus) at /metrics, for this machine or the
# addresses listed (clinic.health.metrics_allowed). Each gunicorn worker counts on its own.
PROMETHEUS_METRICS = envbool("PROMETHEUS_METRICS")
METRICS_ALLOWED_ADDRESSES = envlist("METRICS_ALLOWED_ADDRESSES")
if PROMETHEUS_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.memberships",
            ],
        },
    },
]

# SQLite by default, tuned for a small clinic with several people saving at once:
# WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at the
# start of a transaction so two writers queue (busy timeout) instead of deadlocking.
SQLITE_PATH = VAR_DIR / "floorplan.sqlite3"
# dj_database_url's TypedDict, or the SQLite settings below (NAME a Path, as Django allows)
DATABASES: dict[str, Mapping[str, Any]]
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    _private(VAR_DIR, 0o700)
    for suffix in ("", "-wal", "-shm"):
        _private(SQLITE_PATH.with_name(SQLITE_PATH.name + suffix), 0o600)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (django-otp, clinic.two_factor): an authenticator app (TOTP) with
# one-time backup codes. Each wrong code doubles the wait before the next try (1, 2, 4 s...).
OTP_TOTP_ISSUER = "FloorPlan"
# Site administrators (the Django admin sees every clinic) always sign in with two steps.
TWO_FACTOR_FOR_SITE_ADMINS = envbool("TWO_FACTOR_FOR_SITE_ADMINS", True)
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The Django admin lists devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Login protection (django-axes) on every login form, the admin's too: the backend refuses
# a locked-out name or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# Two separate counters (a list of names, not a nested combination): failures on one
# user name from any address lock that name; failures from one address lock that address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# An address gets a higher limit (a clinic's staff share one office address):
# clinic.lockouts.NameAndAddressLockouts.
AXES_HANDLER = "clinic.lockouts.NameAndAddressLockouts"
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 20)
# Not axes' own reset on success: it forgets every failure of the signing-in address too,
# so anyone with an account could clear the failures they ran up guessing a colleague's
# password. clinic.signals forgets only the failures on the name that signed in.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "clinic.views.account.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clinic.access.client_address"
# Sign-ins are recorded in our own audit trail (clinic.signals), not twice.
AXES_DISABLE_ACCESS_LOG = True

# Password reset mails: printed to the console by default, written to files when
# EMAIL_FILE_PATH is set, sent over SMTP when EMAIL_HOST is.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
elif os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "FloorPlan <floorplan@localhost>")
# Reset requests answered per address and per e-mail address in an hour; past that the
# page looks the same but no mail goes out.
PASSWORD_RESET_RATE_LIMIT = envint("PASSWORD_RESET_RATE_LIMIT", 5)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates spelled out ("1 December 2026"), never numeric day/month (reference §10).
FORMAT_MODULE_PATH = ["clinic.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# FloorPlan's canonical URL in FHIR exports: its code systems, questionnaires and the
# clinics' record-number systems live under it. Set it to the address the clinic (or its
# host) publishes; keep it once bundles have been sent, or their codes change meaning.
FLOORPLAN_FHIR_BASE = os.environ.get("FLOORPLAN_FHIR_BASE", "https://floorplan.example/fhir")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            # Hashed names need `collectstatic` first: a deployment opts in; a checkout
            # (the command line, the tests, `make run`) works without it.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("MANIFEST_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Stored PDFs, batch outputs and uploads on S3-compatible storage (django-storages), for
# several web servers and workers on different machines. The backend is named by its path,
# so boto3 is needed only where the bucket is set.
if os.environ.get("FLOORPLAN_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FLOORPLAN_S3_BUCKET"],
            "endpoint_url": os.environ.get("FLOORPLAN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FLOORPLAN_S3_REGION") or None,
            "access_key": os.environ.get("FLOORPLAN_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("FLOORPLAN_S3_SECRET_ACCESS_KEY") or None,
            # Patient documents: private objects, reached only through signed addresses,
            # and a name never reused for another file.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = VAR_DIR / "media"
# Django's storage applies these to stored PDFs, batch outputs and uploads, whatever the umask.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads (patient lists, intake files, diaries) larger than this are refused from their
# Content-Length, before their body is read (clinic.uploads).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "clinic.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# `manage.py prune` (and its daily task): patient-list uploads never imported, and the
# files of finished batch prints, are deleted after these ages. Signed plans never are.
PRUNE_UPLOADS_AFTER_HOURS = envint("PRUNE_UPLOADS_AFTER_HOURS", 24)
PRUNE_BATCHES_AFTER_DAYS = envint("PRUNE_BATCHES_AFTER_DAYS", 7)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Patient data: secure cookies and HSTS whenever served over HTTPS.
SECURE_HTTPS = envbool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# A load balancer probes the servers themselves, and Prometheus scrapes them, over plain
# HTTP (clinic.health; /metrics answers only this machine or listed addresses).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Set only when a reverse proxy in front sets X-Forwarded-Proto and X-Forwarded-For itself:
# otherwise a client could claim any scheme or address.
BEHIND_PROXY = envbool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

PATIENTS_PER_PAGE = 25

# Background jobs (batch printing) through Django's tasks API, queued in the database and
# run by `manage.py db_worker` (`make worker`; `make run` starts one beside the server).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"message": {"format": "%(message)s"}},
    # A patient link's token never reaches a log (clinic.request_log.HidePatientLinks).
    "filters": {"patient_links": {"()": "clinic.request_log.HidePatientLinks"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["patient_links"]},
        # stderr, one JSON object a line (clinic.request_log).
        "requests": {
            "class": "logging.StreamHandler",
            "formatter": "message",
            "filters": ["patient_links"],
        },
    },
    "loggers": {
        # Where Django names a path (a 4xx or 5xx, a refused CSRF token, runserver's lines):
        # hidden at the source too, so no handler added later can see a token.
        **{
            name: {"filters": ["patient_links"]}
            for name in ("django.request", "django.server", "django.security.csrf")
        },
        "floorplan.requests": {
            "handlers": ["requests"],
            # REQUEST_LOG=0 turns the lines off.
            "level": "INFO" if envbool("REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
