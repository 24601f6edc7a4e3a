"""Compare the readiness store with a fresh computation from the records."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from readiness.services import readiness_check


class Command(BaseCommand):
    help = (
        "Compare the readiness store with the records; print each difference "
        "(person, requirement, stored, computed) and exit 1 if there are any. "
        "--repair recomputes the people concerned."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="recompute the people whose rows differ",
        )
        parser.add_argument(
            "--staff",
            type=int,
            nargs="+",
            metavar="ID",
            help="check only these people (staff profile ids)",
        )

    def handle(self, *args, **options) -> None:
        found = readiness_check(staff_ids=options["staff"], repair=options["repair"])
        for difference in found:
            self.stdout.write(str(difference))
        people = len({d.staff_id for d in found})
        if not found:
            self.stdout.write(self.style.SUCCESS("The store agrees with the records."))
            return
        if options["repair"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Repaired {len(found)} differences of {people} people."
                )
            )
            return
        raise CommandError(
            f"{len(found)} differences of {people} people; "
            "run with --repair to recompute them.",
            returncode=1,
        )
