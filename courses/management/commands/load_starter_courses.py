"""Create the starter courses that are missing; ``--update`` drafts newer texts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.course_files import STARTER_DIR, CourseFileError
from courses.starter_loader import load_starter_courses


class Command(BaseCommand):
    help = (
        "Check every course file in courses/starter/, then create the courses that "
        "are missing from the training library. A course that exists is never "
        "overwritten; --update saves a newer shipped text as a draft for an author "
        "to review and publish. A file with a problem loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(STARTER_DIR),
            help="The folder of course files (default: courses/starter/).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Save newer shipped texts as draft revisions (never published).",
        )

    def handle(self, *args, **options):
        try:
            courses = load_starter_courses(
                directory=Path(options["directory"]), update=options["update"]
            )
        except CourseFileError as exc:
            raise CommandError(
                "No course was loaded. Fix these problems in the course files:\n  "
                + "\n  ".join(exc.errors)
            ) from exc
        for course in courses:
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
