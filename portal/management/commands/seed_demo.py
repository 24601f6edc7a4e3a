"""Load the demo agency, people, training and credentials (safe to run twice)."""

import importlib
import io
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.dates import agency_today
from portal.demo import DEMO_PASSWORD, seed_organisation

# `make run` prints these once the portal answers (announce_when_ready).
LOGINS_FILE = Path(settings.VAR_DIR) / "demo-logins.txt"

# Each app may ship a ``demo`` module with ``seed(*, today, stdout)``.
APP_DEMOS = ["courses.demo", "credentials.demo", "skills.demo", "classes.demo"]


class Command(BaseCommand):
    help = "Load demo data: an agency, ~40 staff, courses, credentials. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even in production mode (never on a real agency's data).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print no logins.")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED and not options["force"]:
            raise CommandError(
                "seed_demo adds demo people with a known password; it runs only in "
                "debug mode (or with DEMO_DATA_ALLOWED=on). Use --force on a "
                "throwaway database if you mean it."
            )
        today = agency_today()
        logins = seed_organisation(today=today)
        for dotted in APP_DEMOS:
            try:
                module = importlib.import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name != dotted:
                    raise
                continue
            module.seed(today=today, stdout=self.stdout)
        text = io.StringIO()
        text.write(f"Demo logins (password for all: {DEMO_PASSWORD})\n")
        width = max(len(login.role) for login in logins)
        for login in logins:
            text.write(f"  {login.role:<{width}}  {login.email}\n")
        text.write(f"  Open {settings.SITE_URL}/ and log in with one of these.\n")
        LOGINS_FILE.parent.mkdir(parents=True, exist_ok=True)
        LOGINS_FILE.write_text(text.getvalue())
        if options["quiet"]:
            return
        self.stdout.write("")
        self.stdout.write(text.getvalue())
