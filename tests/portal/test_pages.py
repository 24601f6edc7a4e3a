"""Role pages, the CMS screens for the organization, two-factor set-up and the clock."""

import datetime as dt

import pytest
import time_machine
from django.core.mail import send_mail

from portal.dates import agency_time_zone, agency_today
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_hr_manages_the_organisation_in_the_cms(client, hr, team):
    client.force_login(hr)
    for url in ("/cms/site/", "/cms/program/", "/cms/team/", "/cms/jobrole/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert team.name in client.get("/cms/team/").content.decode()


def test_two_factor_setup_is_offered_to_every_user(client, staff, password):
    client.post("/accounts/login/", {"login": staff.user.email, "password": password})
    assert client.get("/accounts/2fa/").status_code == 200
    # Activating asks for the password again, as it should.
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert "svg" in response.content.decode().lower()


def test_navigation_follows_the_role(client, staff, supervisor, hr):
    client.force_login(staff.user)
    nav = client.get("/").content.decode()
    assert 'href="/staff/"' not in nav
    assert 'href="/cms/"' not in nav
    client.force_login(supervisor)
    assert 'href="/staff/"' in client.get("/").content.decode()
    client.force_login(hr)
    page = client.get("/").content.decode()
    assert 'href="/cms/"' in page
    assert 'href="/staff/add/"' in page


def test_the_cms_link_follows_a_new_role_on_the_next_page(client, staff):
    """The menu remembers for the session whether it offers the CMS, and works it
    out again when the person's roles change."""
    from django.contrib.auth.models import Group

    from portal.roles import Role
    from portal.services import roles_ensure

    roles_ensure()
    client.force_login(staff.user)
    assert 'href="/cms/"' not in client.get("/").content.decode()
    staff.user.groups.add(Group.objects.get(name=Role.AUTHOR))
    assert 'href="/cms/"' in client.get("/").content.decode()
    staff.user.groups.remove(Group.objects.get(name=Role.AUTHOR))
    assert 'href="/cms/"' not in client.get("/").content.decode()


def test_sent_mail_page_shows_file_backend_mail_to_hr_in_debug(
    client, hr, staff, settings, tmp_path
):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    send_mail("Your CPR card expires", "Renew it soon.", None, ["a@example.org"])
    client.force_login(hr)
    page = client.get("/dev/sent-mail/").content.decode()
    assert "Your CPR card expires" in page
    assert "Renew it soon." in page
    client.force_login(staff.user)
    assert client.get("/dev/sent-mail/").status_code == 403


def test_sent_mail_page_is_absent_in_production(client, hr, settings):
    settings.DEBUG = False
    client.force_login(hr)
    assert client.get("/dev/sent-mail/").status_code == 404


def test_today_is_the_agencys_date_not_utcs():
    AgencyFactory(time_zone="America/Los_Angeles")
    # 03:00 UTC on 1 March is still 28 February in California.
    with time_machine.travel(dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        assert agency_today() == dt.date(2027, 2, 28)


def test_a_zone_saved_through_another_process_holds_within_seconds(monkeypatch):
    """Each process keeps the zone in memory; a change made through another
    process (which clears the shared cache) reaches this one within
    PROCESS_SECONDS, with no read of the shared cache per request before that."""
    from django.core.cache import cache

    from portal import dates
    from portal.models import Agency

    clock = [1000.0]
    monkeypatch.setattr(dates.time, "monotonic", lambda: clock[0])
    AgencyFactory(time_zone="America/Los_Angeles")
    assert agency_time_zone().key == "America/Los_Angeles"
    # Another process saves the agency: the database and the shared cache change,
    # this process's memory does not.
    Agency.objects.update(time_zone="Europe/Berlin")
    cache.delete(dates._CACHE_KEY)
    reads = []

    class SharedCache:
        def get(self, key):
            reads.append(key)
            return cache.get(key)

        def set(self, key, value, timeout):
            cache.set(key, value, timeout)

        def delete(self, key):
            cache.delete(key)

    monkeypatch.setattr(dates, "cache", SharedCache())
    clock[0] += dates.PROCESS_SECONDS - 1
    assert agency_time_zone().key == "America/Los_Angeles"
    assert reads == []
    clock[0] += 2
    assert agency_time_zone().key == "Europe/Berlin"
    assert len(reads) == 1


def test_an_unknown_time_zone_is_refused():
    from django.core.exceptions import ValidationError

    agency = AgencyFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError, match="not a time zone name"):
        agency.full_clean()


def test_changing_a_job_role_in_the_cms_goes_through_the_service(
    client, hr, staff, monkeypatch
):
    from portal import services
    from tests.factories import JobRoleFactory

    calls = []
    real = services.staff_update
    monkeypatch.setattr(
        services, "staff_update", lambda **kw: calls.append(kw) or real(**kw)
    )
    new_role = JobRoleFactory()
    client.force_login(hr)
    response = client.post(
        f"/cms/staffprofile/edit/{staff.pk}/",
        {
            "job_role": new_role.pk,
            "team": staff.team_id,
            "hire_date": "2026-01-05",
            "status": "active",
            "termination_date": "",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.job_role == new_role
    assert calls and calls[0]["job_role"] == new_role


def test_hr_reaches_import_and_assignment_from_the_staff_page(client, hr):
    client.force_login(hr)
    page = client.get("/staff/").content.decode()
    assert 'href="/staff/import/"' in page
    assert 'href="/training/assign/"' in page


def test_my_training_links_show_only_for_people_on_staff(client, hr, staff):
    client.force_login(hr)  # HR officer without a staff record
    page = client.get("/").content.decode()
    assert 'href="/training/"' not in page
    assert 'href="/credentials/"' not in page
    client.force_login(staff.user)
    page = client.get("/").content.decode()
    assert 'href="/training/"' in page
    assert 'href="/credentials/"' in page
