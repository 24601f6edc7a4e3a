"""Recompute the whole readiness store from scratch (idempotent)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from readiness.services import readiness_rebuild


class Command(BaseCommand):
    help = "Rebuild the readiness store (every person's statuses and verdicts)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        quiet = options["verbosity"] == 0

        def progress(done: int, total: int) -> None:
            if not quiet:
                self.stdout.write(f"{done} of {total} people")

        count = readiness_rebuild(progress=progress)
        seconds = time.monotonic() - started
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the readiness of {count} people in {seconds:.1f} s."
            )
        )
