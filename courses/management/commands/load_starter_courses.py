"""Create the starter courses that are missing; ``--update`` drafts newer texts."""

from django.core.management.base import BaseCommand

from courses.starter_loader import load_starter_courses


class Command(BaseCommand):
    help = (
        "Create the starter courses (crisis prevention, trauma-informed care, HIPAA "
        "and 42 CFR Part 2) that are missing from the training library. A course "
        "that exists is never overwritten; --update saves a newer shipped text as "
        "a draft for an author to review and publish."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Save newer shipped texts as draft revisions (never published).",
        )

    def handle(self, *args, **options):
        for course in load_starter_courses(update=options["update"]):
            self.stdout.write(f"  {course.title} (v{course.version}) at {course.url}")
        if options["update"]:
            self.stdout.write(
                self.style.SUCCESS(
                    "Starter courses loaded; newer shipped texts are drafts in the "
                    "CMS for an author to review and publish."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Starter courses loaded."))
