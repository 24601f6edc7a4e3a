"""`make run`'s last word: wait until the portal answers, then print the demo logins.

It runs beside web, worker and beat under honcho and stays until they are stopped, so
the logins are the last thing on the screen instead of scrolling away under the logs.
"""

from __future__ import annotations

import signal
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.management.commands.seed_demo import LOGINS_FILE


def portal_answers(url: str, *, timeout: float = 2.0) -> bool:
    """True once the web process answers anything at all on ``url``."""
    try:
        urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - our own URL
    except urllib.error.HTTPError:
        return True  # it answered, even if /healthz says the worker is not up yet
    except (OSError, ValueError):
        return False
    return True


class Command(BaseCommand):
    help = "Wait until the portal answers, print the demo logins, then stay quietly."

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=float, default=180.0, help="seconds")
        parser.add_argument(
            "--exit", action="store_true", help="Exit after printing (for scripts)."
        )

    def handle(self, *args, **options):
        url = f"{settings.SITE_URL}/healthz"
        deadline = time.monotonic() + options["wait"]
        while not portal_answers(url):
            if time.monotonic() > deadline:
                self.stderr.write(f"The portal did not answer at {url}.")
                return
            time.sleep(0.5)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Milieu is ready: {settings.SITE_URL}/"))
        if LOGINS_FILE.exists():
            self.stdout.write(LOGINS_FILE.read_text())
        self.stdout.write("Press Ctrl-C to stop the portal, its worker and beat.")
        self.stdout.flush()
        if options["exit"]:
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: None)
        signal.pause()
