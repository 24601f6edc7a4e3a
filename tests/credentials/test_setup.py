"""The app's wiring: CMS screens for HR, the beat schedule, the demo data."""

import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings

from credentials import demo
from credentials.models import Credential, CredentialRequirement, CredentialType
from credentials.selectors import requirement_statuses
from portal.demo import seed_organisation
from portal.models import StaffProfile
from portal.requirements import Status

pytestmark = pytest.mark.django_db


def test_hr_edits_credential_types_in_the_cms(client, hr):
    client.force_login(hr)
    assert client.get("/cms/credentialtype/").status_code == 200
    response = client.post(
        "/cms/credentialtype/new/",
        {
            "name": "Naloxone training",
            "code": "naloxone",
            "category": "certification",
            "issuing_bodies": "County",
            "has_expiry": "on",
            "requires_document": "on",
            "validity_months": "24",
            "fixed_expiry_years": "every",
            "reminder_days": "60, 14, 0",
            "remind_weekly_when_expired": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    ctype = CredentialType.objects.get(code="naloxone")
    assert ctype.reminder_steps == [60, 14, 0] and ctype.warning_days == 60
    assert client.get("/cms/credentialrequirement/").status_code == 200


def test_staff_cannot_reach_the_cms_screens(client, staff):
    client.force_login(staff.user)
    assert client.get("/cms/credentialtype/").status_code in (302, 403)


def test_beat_runs_the_scan_daily_and_the_digest_weekly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    scan = schedule["credentials-reminder-scan"]
    assert scan["task"] == "credentials.tasks.scan_credential_reminders"
    assert scan["schedule"].hour == {settings.REMINDER_HOUR}
    digest = schedule["credentials-weekly-digest"]
    assert digest["schedule"].day_of_week == {1}


@time_machine.travel(dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC), tick=False)
def test_demo_is_idempotent_and_realistic():
    today = dt.date(2026, 11, 25)
    seed_organisation(today=today)
    out = io.StringIO()
    demo.seed(today=today, stdout=out)
    counts = (
        CredentialType.objects.count(),
        CredentialRequirement.objects.count(),
        Credential.objects.count(),
    )
    demo.seed(today=today, stdout=out)
    assert counts == (
        CredentialType.objects.count(),
        CredentialRequirement.objects.count(),
        Credential.objects.count(),
    )
    newhire = StaffProfile.objects.get(user__email__startswith="newhire@")
    rows = {
        r.label: r for r in requirement_statuses(staff_ids=[newhire.pk], as_of=today)
    }
    assert rows["CPR / First Aid"].status == Status.MISSING
    assert rows["CPR / First Aid"].before_first_shift
    everyone = StaffProfile.objects.values_list("pk", flat=True)
    statuses = {
        r.status for r in requirement_statuses(staff_ids=list(everyone), as_of=today)
    }
    assert {Status.CURRENT, Status.EXPIRING, Status.EXPIRED, Status.PENDING} <= statuses
    assert Credential.objects.filter(documents__isnull=True).count() == 0
