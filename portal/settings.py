"""Settings for Milieu, read from the environment with safe embedded defaults.

With nothing set the portal runs on SQLite, a filesystem Celery transport and a
file email backend, all under ``var/``. ``DATABASE_URL``, ``CELERY_BROKER_URL``,
``CACHE_URL`` and ``EMAIL_URL`` switch to real services.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("MILIEU_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
for _sub in ("", "mail", "private", "media", "celery/queue", "celery/processed"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    if not SECRET_KEY or SECRET_KEY.startswith("insecure"):
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=off) needs a SECRET_KEY environment "
            "variable: a long random string, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG=off) needs ALLOWED_HOSTS, a comma-separated "
            "list of the host names the portal is served under."
        )

# seed_demo creates people with a known password: only where this is true.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal",
    "courses",
    "credentials",
    "skills",
    "compliance",
    "classes",
    "readiness",
    "scim",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.wagtail_users.MilieuUsersConfig",  # wagtail.users
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "auditlog",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "portal.middleware.NulByteMiddleware",
    "portal.middleware.CmsIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "portal.middleware.AgencyTimezoneMiddleware",
    "portal.middleware.AccessEndedMiddleware",
    "portal.middleware.IdleTimeoutMiddleware",
    "portal.middleware.MfaRequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
            # US date forms without a Django format name: {{ day|long_date }}.
            "builtins": ["portal.templatetags.us_dates"],
        },
    },
]

# --- Database ------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'milieu.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL and a busy timeout let the web process, worker and beat share the file.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login rate limits must be shared by every process) -----------------------


def cache_config(url: str) -> dict:
    """The cache ``url`` names; a Redis one through ``portal.cache``, where Redis
    being down is a miss, never an error page."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "portal.cache.ResilientRedisCache"
    return config


CACHES = {
    "default": cache_config(
        env.str("CACHE_URL", default="dbcache://milieu_cache?max_entries=100000")
    )
}

# --- Accounts ------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # allauth's, but a login or password reset only by the account's own login
    # email, never by an address whose change is still waiting for confirmation.
    "portal.adapters.AuthenticationBackend",
]
_PV = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _PV + "UserAttributeSimilarityValidator"},
    {"NAME": _PV + "MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": _PV + "CommonPasswordValidator"},
    {"NAME": _PV + "NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Unit computers are shared: a session ends when the browser closes.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Milieu] "
ACCOUNT_FORMS = {"reset_password": "portal.adapters.ResetPasswordForm"}
# A login email is changed, never added beside the old one: the new address
# becomes the login once its owner, logged in, opens the link sent to it; the old
# address is told (portal/account_events.py ends the other sessions).
ACCOUNT_CHANGE_EMAIL = True
# Changing the email or password, or two-factor settings, asks for the password
# (or a two-factor code) again: an unlocked shared computer is not enough.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# An email to the person when their password, email or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Behind the TLS proxy every person shares the proxy's address: a loose limit per
# IP (a whole office) and a strict one per account (the email typed).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE", default="100/15m/ip,5/15m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "login": "100/m/ip",
}
# The client's address: the one the trusted proxy saw (allauth reads these; the
# attestations record the same address through portal.security.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Milieu"
# Roles that must use two-factor authentication (portal.middleware enforces it).
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES",
    default=[] if DEBUG else ["Admin", "HR", "Supervisor", "Author"],
)
# Single sign-on over OpenID Connect (portal/sso.py): SSO_PROVIDERS names the
# providers; each reads SSO_<ID>_ISSUER, _CLIENT_ID, _SECRET, _LABEL, _MFA_ACR.
from portal.sso_config import sso_providers  # noqa: E402

SSO_PROVIDERS, _SSO_APPS = sso_providers(env)
SOCIALACCOUNT_ADAPTER = "portal.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": _SSO_APPS, "OAUTH_PKCE_ENABLED": True}
}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matched in portal/sso.py instead
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# With SSO_ONLY on, only these (lowercase emails) may still sign in with a password.
SSO_ONLY = env.bool("SSO_ONLY", default=False) and bool(SSO_PROVIDERS)
SSO_BREAK_GLASS_EMAILS = [
    e.lower() for e in env.list("SSO_BREAK_GLASS_EMAILS", default=[])
]
# SCIM calls per token per minute (0: no limit).
SCIM_RATE_LIMIT_PER_MINUTE = env.int("SCIM_RATE_LIMIT_PER_MINUTE", default=600)
# Idle sessions end on the server after this many minutes without a request.
IDLE_TIMEOUT_MINUTES = env.int("IDLE_TIMEOUT_MINUTES", default=30)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# --- Internationalisation and the agency's clock -------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("AGENCY_TIME_ZONE", default="America/New_York")
USE_I18N = True
# One way to write a date: {{ day|date }} and date_format(day) (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
# The same when no language is active (a worker, a shell).
from portal.formats.en.formats import (  # noqa: E402, F401
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

USE_TZ = True

# --- Static files and private media --------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded credential documents and generated exports: never under a public URL.
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Email ---------------------------------------------------------------------------
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Milieu <noreply@milieu.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Celery --------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_IS_FILESYSTEM:
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fan-out exchange: no remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues work must fail fast when the broker is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# People per task of a site's training-files ZIP: at ~0.3 s each, well inside the
# time limit, and small enough that several workers share a site.
EXPORT_CHUNK_SIZE = env.int("EXPORT_CHUNK_SIZE", default=50)
# Rows per transaction of a bulk job (an import, a course assigned to many): what a
# job that stops loses, and how many people the readiness store recomputes at once.
BULK_JOB_BATCH = env.int("BULK_JOB_BATCH", default=200)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULER = "portal.celery:ResilientScheduler"
REMINDER_HOUR = env.int("REMINDER_HOUR", default=6)
CELERY_BEAT_SCHEDULE: dict = {}
# /healthz reports "degraded" when no worker heartbeat is newer than this; the
# scheduler asks for one every minute and a worker writes one when it starts.
HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS = env.int(
    "HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS", default=300
)

# --- Reminder tuning (credentials/reminders.py, classes, courses) ---------------------
# Who hears about a credential, and when: supervisors from this many days before
# the date (and after), HR from the day itself (and while expired).
REMINDER_SUPERVISOR_FROM_STEP = env.int("REMINDER_SUPERVISOR_FROM_STEP", default=30)
REMINDER_HR_FROM_STEP = env.int("REMINDER_HR_FROM_STEP", default=0)
# New hires: reminders about a missing credential stop this long past its due date.
REMINDER_MISSING_LOOKBACK_DAYS = env.int("REMINDER_MISSING_LOOKBACK_DAYS", default=90)
# A reminder claimed but not sent this long ago is queued again (see the README).
REMINDER_REQUEUE_AFTER_MINUTES = env.int("REMINDER_REQUEUE_AFTER_MINUTES", default=60)
# A reminder that failed this many sends is not retried; the scan reports it.
REMINDER_MAX_SEND_ATTEMPTS = env.int("REMINDER_MAX_SEND_ATTEMPTS", default=5)
# Reminder ids per send task (a recipient's rows stay in one task).
REMINDER_TASK_BATCH = env.int("REMINDER_TASK_BATCH", default=100)
# Pause between two reminder emails of a task (a mail server's rate limit).
REMINDER_SEND_DELAY_SECONDS = env.float("REMINDER_SEND_DELAY_SECONDS", default=0.0)
# Someone who never accepted their invitation gets a fresh one at most this often.
REMINDER_REINVITE_AFTER_DAYS = env.int("REMINDER_REINVITE_AFTER_DAYS", default=7)
# A supervisor's "email them a reminder" button: at most once per person per this.
MANUAL_REMINDER_GAP_HOURS = env.int("MANUAL_REMINDER_GAP_HOURS", default=12)
# Re-training: the next assignment is created this many days before the due date.
RETRAINING_LEAD_DAYS = env.int("RETRAINING_LEAD_DAYS", default=30)
# Email tasks (reminders, decisions, bookings, invitations): retries of a mail
# server or broker that is down, backing off from 30 s to an hour.
EMAIL_TASK_MAX_RETRIES = env.int("EMAIL_TASK_MAX_RETRIES", default=8)
# An outbox email (bookings, CE reminders, exports, account emails, ...) is tried
# this many times, backing off from a minute to an hour, then marked given up.
EMAIL_MAX_SEND_ATTEMPTS = env.int("EMAIL_MAX_SEND_ATTEMPTS", default=12)
# The readiness store: a change touching more people than this (a requirement for
# the whole agency) is saved at once and their rows are refreshed by a worker.
READINESS_INLINE_LIMIT = env.int("READINESS_INLINE_LIMIT", default=300)
# The release being served (a deploy sets it, e.g. the commit): kept HTML drawn
# by another release is never served.
RELEASE = env.str("RELEASE", default="0.1.0")
# Each app adds its periodic tasks in its own module (see portal/schedule.py).

# --- Wagtail -------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Milieu"
# One front door: the CMS, its front end and Django's admin log in through allauth.
WAGTAILADMIN_LOGIN_URL = "cms_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Passwords are set and reset through allauth and invitations only.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
# A person's own login email changes at /accounts/email/ (password, then a link),
# not in the CMS's account page, which would change it on the spot.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_DOCUMENT_OPTIONS = {"password": False}
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from a third party (it would learn who uses the CMS, and the policy
# blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security in production ----------------------------------------------------------
HSTS_PRELOAD_SECONDS = 60 * 60 * 24 * 365  # the preload list's minimum: one year
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=HSTS_PRELOAD_SECONDS)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only a submission to the preload list acts on this flag, and only for a
    # registrable domain; a portal on its own host name loses nothing by it. The
    # list asks for at least a year, so a shorter max-age drops the claim.
    SECURE_HSTS_PRELOAD = (
        env.bool("SECURE_HSTS_PRELOAD", default=True)
        and SECURE_HSTS_SECONDS >= HSTS_PRELOAD_SECONDS
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page may be framed; the CMS preview and the document preview opt in to
# same-origin framing view by view (xframe_options_sameorigin).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# portal.middleware.SecurityHeadersMiddleware sends these. Styles may be inline
# (the CMS sets them from its scripts); the portal's scripts come only from its own
# files. Wagtail's editor still writes a few inline scripts (date pickers, inline
# panels, each with its field's options), so under /cms/ only, inline script runs.
_CSP = (
    "default-src 'self'; script-src 'self'{inline}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY", default=_CSP.format(inline="")
)
CMS_CONTENT_SECURITY_POLICY = env.str(
    "CMS_CONTENT_SECURITY_POLICY", default=_CSP.format(inline=" 'unsafe-inline'")
)
CMS_PATH_PREFIX = "/cms/"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        # Page created/edited/published lines are in Wagtail's own log in the CMS.
        "wagtail": {"level": env.str("WAGTAIL_LOG_LEVEL", default="WARNING")},
        # The filesystem transport has no host name; kombu says so on every connect.
        "kombu.connection": {"level": "ERROR"},
    },
}

from portal.schedule import AgencyCrontab, beat_schedule  # noqa: E402

# Beat reads its times in Agency.time_zone (the CMS), like "today" does;
# AGENCY_TIME_ZONE is only the zone of a new agency and the fallback.
CELERY_BEAT_SCHEDULE = beat_schedule(reminder_hour=REMINDER_HOUR, crontab=AgencyCrontab)
