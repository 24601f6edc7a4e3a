"""The demo training data: a realistic mix, and idempotent."""

import pytest

from courses.demo import seed
from courses.models import Assignment, Attestation, Completion, LessonProgress
from courses.selectors import course_requirement_statuses
from portal.dates import agency_today
from portal.demo import seed_organisation
from portal.models import StaffProfile
from portal.requirements import Status

pytestmark = pytest.mark.django_db


def test_demo_training_is_a_realistic_mix_and_idempotent():
    today = agency_today()
    seed_organisation(today=today)
    seed(today=today)
    counts = [
        m.objects.count() for m in (Completion, Assignment, LessonProgress, Attestation)
    ]
    seed(today=today)
    assert counts == [
        m.objects.count() for m in (Completion, Assignment, LessonProgress, Attestation)
    ]
    newbie = StaffProfile.objects.get(user__email="newhire@demo.milieu.local")
    open_courses = set(
        Assignment.objects.filter(staff=newbie, completion=None).values_list(
            "course__slug", flat=True
        )
    )
    # The three orientation courses, and the newer ones required of technicians.
    assert open_courses == {
        "crisis-prevention",
        "trauma-informed-care",
        "hipaa-part2",
        "suicide-risk",
        "mandated-reporting",
        "overdose-naloxone",
        "bloodborne-pathogens",
    }
    assert not Completion.objects.filter(staff=newbie).exists()
    statuses = {
        r.status
        for r in course_requirement_statuses(
            staff_ids=list(StaffProfile.objects.values_list("pk", flat=True)),
            as_of=today,
        )
    }
    assert {Status.CURRENT, Status.DUE, Status.OVERDUE} <= statuses
    assert statuses & {Status.EXPIRING, Status.EXPIRED}
    assert LessonProgress.objects.filter(completed_at__isnull=False).exists()
