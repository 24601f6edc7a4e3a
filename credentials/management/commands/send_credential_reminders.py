"""Run the credential reminder scan now (the same scan beat runs daily)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from credentials.reminders import reminder_scan, scan_floor
from portal.dates import agency_today


class Command(BaseCommand):
    help = (
        "Claim and queue every credential reminder due on a date (default: the "
        "agency's today). --dry-run lists them and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, the day to scan as.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        try:
            today = (
                dt.date.fromisoformat(options["date"])
                if options["date"]
                else agency_today()
            )
        except ValueError as exc:
            raise CommandError("--date must look like 2026-11-25.") from exc
        result = reminder_scan(today=today, dry_run=options["dry_run"])
        if options["dry_run"]:
            for kind, staff, ctype, date, step, to, role in result.rows:
                self.stdout.write(
                    f"{kind:8} {ctype:28} {staff:36} {date} step {step:>4} "
                    f"-> {role:10} {to}"
                )
            self.stdout.write(
                f"Dry run for {today}: {len(result.rows)} reminders would be sent; "
                "nothing was changed."
            )
            return
        self.stdout.write(
            f"Scan for {today}: {result.claimed} newly due, {result.queued} queued "
            f"in {result.tasks} tasks."
        )
        if result.skipped:
            self.stdout.write(
                f"Skipped {len(result.skipped)} credentials whose expiry is before "
                f"{scan_floor(today)} (ids {result.skipped[:20]}): correct their dates."
            )
        if result.gave_up:
            attempts = settings.REMINDER_MAX_SEND_ATTEMPTS
            self.stdout.write(
                f"{len(result.gave_up)} reminders failed {attempts} times and "
                f"are no longer retried (ReminderLog ids {result.gave_up[:20]}); see "
                "their last_error."
            )
        if result.publish_failed:
            raise CommandError(
                f"{result.publish_failed} of {result.tasks} send tasks could not be "
                "queued (is the broker down?). They are claimed and will be queued "
                "again by the next beat tick or when a worker starts.",
                returncode=2,
            )
