"""Settings of the Celery workers the worker tests start: the portal's own, with the
broker keys prefixed as the test run's (portal/settings_test.py), so the worker reads
only this run's queue."""

import os

from portal.settings import *  # noqa: F403
from portal.settings import CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL

if CELERY_BROKER_URL.startswith("redis") and os.environ.get(
    "MILIEU_TEST_BROKER_PREFIX"
):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": os.environ["MILIEU_TEST_BROKER_PREFIX"],
    }
