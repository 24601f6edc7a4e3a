"""Starter training courses (content only) for loading into Wagtail course pages."""

from . import crisis_prevention, hipaa_part2, trauma_informed_care

COURSES = [crisis_prevention.COURSE, trauma_informed_care.COURSE, hipaa_part2.COURSE]
