"""Issue 13.4: the site ZIP is built in chunks that any worker may take, from
training files cached until the person's records change; a chunk done twice, a
worker that stops and a person whose file fails do not spoil the ZIP."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from pypdf import PdfReader

from compliance import exports
from compliance.models import ExportChunk, ExportJob
from compliance.tasks import (
    build_site_training_files,
    render_export_chunk,
    requeue_export_jobs,
)
from courses.services import completion_record
from portal.pdf import PdfError
from tests.courses.factories import make_course
from tests.factories import JobRoleFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 3, 17, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def small_chunks(settings):
    settings.EXPORT_CHUNK_SIZE = 2


@pytest.fixture
def people(team):
    return [
        StaffProfileFactory(
            team=team, user=UserFactory(first_name="Person", last_name=f"Number{n}")
        )
        for n in range(5)
    ]


@pytest.fixture
def drawings(monkeypatch):
    """The names of the people whose training file was drawn (not taken from the
    cache), in order."""
    drawn: list[str] = []
    real = exports.training_file_render

    def spy(html, *, stamp):
        drawn.append(html.split("<title>Training file: ", 1)[1].split("<", 1)[0])
        return real(html, stamp=stamp)

    monkeypatch.setattr(exports, "training_file_render", spy)
    return drawn


def export(client, hr, team, capture) -> ExportJob:
    client.force_login(hr)
    with capture(execute=True):
        client.post(
            "/compliance/exports/", {"site": team.site.pk, "as_of": "2026-03-03"}
        )
    return ExportJob.objects.latest("pk")


def zip_of(client, job) -> zipfile.ZipFile:
    client.force_login(job.requested_by)
    response = client.get(f"/compliance/exports/{job.pk}/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_chunked_export_zips_everyone_once_with_their_own_file(
    client, hr, team, people, django_capture_on_commit_callbacks
):
    job = export(client, hr, team, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    # The ZIP holds what the chunks listed: their rows go, the job stays.
    assert not ExportChunk.objects.filter(job=job).exists()
    assert (job.total_people, job.done_people, job.percent) == (5, 5, 100)
    archive = zip_of(client, job)
    names = sorted(archive.namelist())
    assert len(names) == 5
    for person in people:
        (name,) = [n for n in names if person.employee_id in n]
        text = pdf_text(archive.read(name))
        assert f"Training file: {person.full_name}" in text
        assert "Requirements as of Mar 3, 2026" in text


def test_the_page_shows_progress_in_people(client, hr, team, people):
    job = ExportJob.objects.create(site=team.site, as_of="2026-03-03", requested_by=hr)
    build_site_training_files(job.pk)  # splits; the chunks wait (not committed)
    assert ExportChunk.objects.filter(job=job).count() == 3  # 2 + 2 + 1 people
    (first, *_) = ExportChunk.objects.filter(job=job)
    render_export_chunk(first.pk)
    client.force_login(hr)
    status = client.get(f"/compliance/exports/{job.pk}/status.json").json()
    assert status["label"] == "2 of 5 training files"
    assert status["percent"] == 40 and not status["done"]


def test_a_chunk_done_twice_and_a_restarted_worker_give_the_same_zip(
    client, hr, team, people, drawings, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(site=team.site, as_of="2026-03-03", requested_by=hr)
    # The worker splits the job, then stops before the chunks are published.
    with django_capture_on_commit_callbacks(execute=False):
        build_site_training_files(job.pk)
    first = ExportChunk.objects.filter(job=job).first()
    with django_capture_on_commit_callbacks(execute=True):
        render_export_chunk(first.pk)
        render_export_chunk(first.pk)  # a redelivered message
    assert len(drawings) == 2
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
    # A new worker starts later and queues again whatever did not move.
    later = dt.datetime(2026, 3, 3, 17, 30, tzinfo=dt.UTC)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert requeue_export_jobs(older_than_minutes=0) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.label
    assert len(drawings) == 5  # nobody drawn twice
    assert sorted(zip_of(client, job).namelist()) == sorted(
        exports.training_file_name(p, dt.date(2026, 3, 3)) for p in people
    )
    # Running any step again changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert build_site_training_files(job.pk) == ExportJob.Status.DONE
        assert render_export_chunk(first.pk) == 0
    assert ExportJob.objects.get(pk=job.pk).file == job.file


def test_a_person_whose_file_fails_is_reported_and_the_rest_are_zipped(
    client, hr, team, people, monkeypatch, django_capture_on_commit_callbacks
):
    broken = people[2]
    real = exports.pdf_from_html

    def draw(html, **kwargs):
        if broken.full_name in html:
            raise PdfError("The PDF could not be generated.")
        return real(html, **kwargs)

    monkeypatch.setattr(exports, "pdf_from_html", draw)
    job = export(client, hr, team, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    archive = zip_of(client, job)
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == 4
    assert not any(broken.employee_id in n for n in names)
    listed = archive.read("NOT-INCLUDED.txt").decode()
    assert f"{broken.full_name} ({broken.employee_id})" in listed
    page = client.get(f"/compliance/exports/{job.pk}/").content.decode()
    assert "1 training file could not be generated" in page
    assert broken.full_name in page


def test_a_second_export_reuses_every_file_and_a_changed_record_redraws_one(
    client, hr, team, people, drawings, django_capture_on_commit_callbacks
):
    export(client, hr, team, django_capture_on_commit_callbacks)
    assert len(drawings) == 5
    drawings.clear()
    again = export(client, hr, team, django_capture_on_commit_callbacks)
    assert drawings == []
    assert len(zip_of(client, again).namelist()) == 5

    course = make_course(title="Crisis de-escalation")
    completion_record(staff=people[3], course=course.page, score=95)
    changed = export(client, hr, team, django_capture_on_commit_callbacks)
    assert drawings == [people[3].full_name]
    archive = zip_of(client, changed)
    (name,) = [n for n in archive.namelist() if people[3].employee_id in n]
    assert "Crisis de-escalation" in pdf_text(archive.read(name))


def test_a_renamed_person_or_new_job_role_is_redrawn(
    client, hr, team, people, drawings, django_capture_on_commit_callbacks
):
    export(client, hr, team, django_capture_on_commit_callbacks)
    drawings.clear()
    people[0].user.last_name = "Renamed"
    people[0].user.save()
    people[1].job_role = JobRoleFactory(name="Peer specialist")
    people[1].save()
    export(client, hr, team, django_capture_on_commit_callbacks)
    assert sorted(drawings) == sorted(["Person Renamed", people[1].full_name])
