"""Load (or update) the starter courses into the training library. Idempotent."""

from django.core.management.base import BaseCommand

from courses.starter_loader import load_starter_courses


class Command(BaseCommand):
    help = (
        "Create or update the starter courses (crisis prevention, trauma-informed "
        "care, HIPAA and 42 CFR Part 2) in the Wagtail training library."
    )

    def handle(self, *args, **options):
        for course in load_starter_courses():
            self.stdout.write(f"  {course.title} (v{course.version}) at {course.url}")
        self.stdout.write(self.style.SUCCESS("Starter courses loaded."))
