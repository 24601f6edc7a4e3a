"""A site's training files as one ZIP, built by a Celery task with progress."""

import io
import zipfile

import pytest
from auditlog.models import LogEntry

from compliance.models import ExportJob
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db


def test_hr_builds_and_downloads_a_site_zip(
    client, hr, team, other_team, django_capture_on_commit_callbacks
):
    a = StaffProfileFactory(team=team)
    b = StaffProfileFactory(team=team)
    elsewhere = StaffProfileFactory(team=other_team)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compliance/exports/", {"site": team.site.pk, "as_of": "2026-03-03"}
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/compliance/exports/{job.pk}/"
    status = client.get(f"/compliance/exports/{job.pk}/status.json").json()
    assert status["done"] and status["percent"] == 100
    page = client.get(f"/compliance/exports/{job.pk}/").content.decode()
    assert "Download the ZIP" in page
    download = client.get(f"/compliance/exports/{job.pk}/download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2
    assert any(a.employee_id in n for n in names)
    assert any(b.employee_id in n for n in names)
    assert not any(elsewhere.employee_id in n for n in names)
    assert LogEntry.objects.filter(
        actor=hr, changes_text__contains="training files ZIP"
    ).exists()


def test_export_pages_refuse_supervisors(client, supervisor, hr, team):
    job = ExportJob.objects.create(site=team.site, as_of="2026-03-03", requested_by=hr)
    client.force_login(supervisor)
    for url in [
        "/compliance/exports/",
        f"/compliance/exports/{job.pk}/",
        f"/compliance/exports/{job.pk}/status.json",
        f"/compliance/exports/{job.pk}/download/",
    ]:
        assert client.get(url).status_code == 403
