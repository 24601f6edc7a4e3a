"""`make run` explains itself: the logins come last, once the portal answers, and a
scheduler killed mid-write does not stop the next start."""

import io

import pytest
from django.core.management import call_command

from portal.celery import ResilientScheduler, app
from portal.management.commands import announce_when_ready


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_logins_are_printed_once_the_portal_answers(
    live_server, settings, tmp_path, monkeypatch
):
    settings.SITE_URL = live_server.url
    logins = tmp_path / "demo-logins.txt"
    logins.write_text("Demo logins (password for all: x)\n  HR  hr@demo.milieu.local\n")
    monkeypatch.setattr(announce_when_ready, "LOGINS_FILE", logins)
    out = io.StringIO()
    call_command("announce_when_ready", "--exit", "--wait", "20", stdout=out)
    text = out.getvalue()
    assert f"Milieu is ready: {live_server.url}/" in text
    assert text.index("ready") < text.index("hr@demo.milieu.local")
    assert "Ctrl-C" in text


def test_nothing_is_announced_while_the_portal_does_not_answer(settings):
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens there
    err = io.StringIO()
    out = io.StringIO()
    call_command("announce_when_ready", "--exit", "--wait", "1", stdout=out, stderr=err)
    assert "did not answer" in err.getvalue()
    assert "Demo logins" not in out.getvalue()


def test_a_schedule_file_cut_short_is_started_afresh(tmp_path):
    path = tmp_path / "celerybeat-schedule"
    # What a beat killed between writing the index and the data leaves behind.
    (tmp_path / "celerybeat-schedule.dat").write_bytes(b"")
    (tmp_path / "celerybeat-schedule.dir").write_text("'entries', (0, 10)\n")
    scheduler = ResilientScheduler(app=app, schedule_filename=str(path), lazy=False)
    try:
        assert "portal-heartbeat" in scheduler.schedule
    finally:
        scheduler.close()


def test_a_new_schedule_file_is_created(tmp_path):
    path = tmp_path / "celerybeat-schedule"
    scheduler = ResilientScheduler(app=app, schedule_filename=str(path), lazy=False)
    try:
        assert "portal-heartbeat" in scheduler.schedule
    finally:
        scheduler.close()
