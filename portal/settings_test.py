"""Fast settings for the test suite: same as production code paths, quicker parts."""

import os

os.environ.setdefault("MILIEU_VAR_DIR", "/tmp/milieu-test-var")

from .settings import *  # noqa: E402,F403
from .settings import CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Worker tests (marked "worker") switch eager mode off and use this broker, with
# keys of their own: a prefix per test run (CI passes one; the workers they start
# inherit it), so a run never meets another run's queued or unacknowledged messages.
CELERY_BROKER_URL = CELERY_BROKER_URL
os.environ.setdefault("MILIEU_TEST_BROKER_PREFIX", f"milieu-test-{os.getpid()}:")
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": os.environ["MILIEU_TEST_BROKER_PREFIX"],
    }
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests that move the clock stay signed in; the idle-timeout tests switch it on.
IDLE_TIMEOUT_MINUTES = 0
# ... and a test that signs in under the suite's moved clock (--shift-days, up to two
# years back) and then sets its own clock keeps its session: server-side sessions
# outlive any clock a test sets.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 * 10
# Tests that commit restore the migrated data before they start (serialized_rollback,
# tests/conftest.py). That restore is not anyone's change: logging it would look up
# content types before their own rows are back, and insert them twice.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
