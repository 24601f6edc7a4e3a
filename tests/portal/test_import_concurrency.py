"""The same CSV confirmed twice at the same moment (two HR tabs, a double click):
one import creates, the other reports the rows unchanged; no error page.

Runs on PostgreSQL (real concurrent transactions); SQLite serialises writers
anyway, so it is skipped there."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from portal.models import StaffProfile
from tests.factories import JobRoleFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = """employee_id,name,email,job_role,team,hire_date
H100,Ana Lima,ana@example.org,tt,Cedar House,2026-11-02
H101,Ben Brooks,ben@example.org,tt,Cedar House,2026-11-03
"""


def test_the_same_csv_confirmed_twice_at_once_creates_once_and_reports_unchanged(hr):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    JobRoleFactory(name="Treatment Technician", code="tt")
    TeamFactory(name="Cedar House")
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = Client()
    preview.force_login(hr)
    payload = preview.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", CSV.encode(), "text/csv")},
    ).context["payload"]
    barrier = threading.Barrier(2)
    pages: list[str] = []
    errors: list[BaseException] = []

    def confirm():
        try:
            browser = Client()
            browser.force_login(hr)
            barrier.wait(timeout=10)
            response = browser.post(
                "/staff/import/", {"confirm": "1", "payload": payload}, follow=True
            )
            assert response.status_code == 200
            pages.append(response.content.decode())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    done = sorted(
        "created" if "2 created and invited" in page else "unchanged"
        for page in pages
        if "Import done" in page
    )
    assert done == ["created", "unchanged"]
    assert any("0 created and invited, 0 changed, 2 unchanged" in p for p in pages)
    assert StaffProfile.objects.filter(employee_id__in=["H100", "H101"]).count() == 2
