"""Load (or update) the starter courses into the training library. Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.course_files import STARTER_DIR, CourseFileError
from courses.starter_loader import load_starter_courses


class Command(BaseCommand):
    help = (
        "Check every course file in courses/starter/ and create or update the "
        "courses in the Wagtail training library. A file with a problem loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(STARTER_DIR),
            help="The folder of course files (default: courses/starter/).",
        )

    def handle(self, *args, **options):
        try:
            courses = load_starter_courses(directory=Path(options["directory"]))
        except CourseFileError as exc:
            raise CommandError(
                "No course was loaded. Fix these problems in the course files:\n  "
                + "\n  ".join(exc.errors)
            ) from exc
        for course in courses:
            self.stdout.write(f"  {course.title} (v{course.version}) at {course.url}")
        self.stdout.write(self.style.SUCCESS("Starter courses loaded."))
