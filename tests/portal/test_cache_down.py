"""A cache that is down costs speed, never a page: with the cache's Redis stopped
for real, every role's main pages and actions answer, nothing is lost, and only
the login refuses (its rate limits fail closed, with a clear message)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials.models import Credential
from portal import dates
from portal.adapters import LOGIN_PAUSED
from portal.dates import agency_today
from portal.models import Agency, Heartbeat, StaffProfile
from portal.settings import cache_config
from tests.credentials.factories import CredentialFactory
from tests.factories import (
    PASSWORD,
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    make_hr,
    make_supervisor,
)
from tests.portal.test_broker_down import broker_down  # noqa: F401 - a fixture
from tests.redis_server import RedisServer, redis_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOON = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def cache(redis_server, settings):  # noqa: F811 - the fixture above
    """The portal's cache on the test's own Redis, configured as CACHE_URL is."""
    settings.CACHES = {"default": cache_config(redis_server.url(1))}
    # Tests see a return at once; production waits RETRY_SECONDS after a failure.
    settings.CACHES["default"]["OPTIONS"] = {"retry_seconds": 0}
    return redis_server


def stop(server: RedisServer) -> None:
    server.stop()
    # Every process reads the shared cache again within PROCESS_SECONDS.
    dates._process_zone = None


def log_in(client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


@pytest.fixture
def agency():
    team = TeamFactory()
    other = TeamFactory()
    staff = StaffProfileFactory(team=team)
    return {
        "team": team,
        "staff": staff,
        "supervisor": make_supervisor(team),
        "other_supervisor": make_supervisor(other),
        "hr": make_hr(),
        "pending": CredentialFactory(staff=staff, verification_status="pending"),
        "role": JobRoleFactory(),
    }


PAGES = {
    "staff": ["/", "/training/", "/credentials/", "/notifications/"],
    "supervisor": ["/", "/matrix/", "/matrix/?verdict=not_ready"],
    "other_supervisor": ["/", "/matrix/"],
    "hr": ["/", "/matrix/", "/compliance/", "/staff/", "/verification/"],
}


@time_machine.travel(NOON, tick=False)
def test_with_the_cache_down_every_role_walks_its_pages_and_only_login_pauses(
    client, cache, agency
):
    assert log_in(client, agency["hr"].email).status_code == 302  # cache up
    client.logout()
    Heartbeat.objects.create(source="test")
    stop(cache)

    for who in PAGES:
        user = agency[who] if who != "staff" else agency["staff"].user
        response = log_in(client, user.email)
        assert response.status_code == 200, who
        assert LOGIN_PAUSED in response.content.decode()
        assert "_auth_user_id" not in client.session

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["cache"] == "unreachable"

    # Other rate-limited actions fail open: the reset email is sent.
    reset = client.post("/accounts/password/reset/", {"email": agency["hr"].email})
    assert reset.status_code == 302

    for who, urls in PAGES.items():
        user = agency[who] if who != "staff" else agency["staff"].user
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)
        # Wagtail's pages (its site root paths are kept in the cache).
        assert client.get("/learn/").status_code < 500
        client.logout()

    client.force_login(agency["hr"])
    added = client.post(
        "/staff/add/",
        {
            "first_name": "Dana",
            "last_name": "Okafor",
            "email": "dana@example.org",
            "employee_id": "E-1",
            "job_role": agency["role"].pk,
            "team": agency["team"].pk,
            "hire_date": "2026-11-20",
            "roles": ["Staff"],
        },
    )
    assert added.status_code == 302
    assert StaffProfile.objects.filter(user__email="dana@example.org").exists()
    pending = agency["pending"]
    assert (
        client.post(f"/verification/{pending.pk}/", {"verify": "1"}).status_code == 302
    )
    pending.refresh_from_db()
    assert pending.verification_status == "verified"

    # The cache is back: people sign in again.
    cache.start()
    client.logout()
    assert log_in(client, agency["staff"].user.email).status_code == 302


def test_the_agency_time_zone_holds_without_the_cache(cache, agency):
    Agency.objects.update_or_create(pk=1, defaults={"time_zone": "Pacific/Honolulu"})
    stop(cache)
    dates.forget_agency_time_zone()  # saving the Agency does this; never raises
    assert dates.agency_time_zone() == zoneinfo.ZoneInfo("Pacific/Honolulu")
    # 09:00 UTC on Dec 7 is still Dec 6 in Honolulu.
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False):
        assert agency_today() == dt.date(2026, 12, 6)


def test_a_cache_outage_is_logged_once_not_per_call(cache, caplog):
    from django.core.cache import cache as shared

    stop(cache)
    with caplog.at_level("WARNING", logger="portal.cache"):
        for n in range(50):
            assert shared.get(f"k{n}") is None
            shared.set(f"k{n}", n)
    assert len([r for r in caplog.records if r.name == "portal.cache"]) == 1


@time_machine.travel(NOON, tick=False)
def test_with_cache_and_broker_down_the_actions_save_and_answer(
    client,
    cache,
    agency,
    broker_down,  # noqa: F811 - the fixture above
):
    """The README's old layout (cache and broker on one Redis) when it stops."""
    stop(cache)
    client.force_login(agency["hr"])
    added = client.post(
        "/staff/add/",
        {
            "first_name": "Dana",
            "last_name": "Okafor",
            "email": "dana@example.org",
            "employee_id": "E-1",
            "job_role": agency["role"].pk,
            "team": agency["team"].pk,
            "hire_date": "2026-11-20",
            "roles": ["Staff"],
        },
    )
    assert added.status_code == 302
    assert "will follow automatically" in client.get(added["Location"]).content.decode()
    assert StaffProfile.objects.filter(user__email="dana@example.org").exists()

    csv = (
        "employee_id,name,email,job_role,team,hire_date\n"
        f"H100,Ana Lima,ana@example.org,{agency['role'].name},"
        f"{agency['team'].name},2026-11-02\n"
    )
    dry = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", csv.encode(), "text/csv")},
    )
    assert dry.status_code == 200
    confirm = client.post(
        "/staff/import/", {"confirm": "1", "payload": dry.context["payload"]}
    )
    assert confirm.status_code == 302
    # The import waits, whole, for a worker; once the broker is back the beat
    # queues it again (portal.tasks.requeue_bulk_jobs) and the worker runs it.
    from portal.bulk import bulk_job_run
    from portal.models import BulkJob

    job = BulkJob.objects.get(kind="staff_import")
    assert client.get(confirm["Location"]).status_code == 200
    assert not StaffProfile.objects.filter(employee_id="H100").exists()
    bulk_job_run(job_id=job.pk)
    assert StaffProfile.objects.filter(employee_id="H100").exists()

    pending = agency["pending"]
    assert (
        client.post(f"/verification/{pending.pk}/", {"verify": "1"}).status_code == 302
    )
    returned = CredentialFactory(staff=agency["staff"], verification_status="pending")
    response = client.post(
        f"/verification/{returned.pk}/",
        {"reject": "1", "reason": "The card is not readable."},
    )
    assert response.status_code == 302
    statuses = dict(
        Credential.objects.filter(pk__in=[pending.pk, returned.pk]).values_list(
            "pk", "verification_status"
        )
    )
    assert statuses == {pending.pk: "verified", returned.pk: "rejected"}
