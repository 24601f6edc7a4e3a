"""Fixes from the QA pass: each test would have caught its problem."""

import datetime as dt

import pytest
import time_machine

from portal.requirements import Status
from tests.factories import JobRoleFactory, StaffProfileFactory, UserFactory
from tests.skills.factories import SkillChecklistFactory, SkillRequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jordan(team, fake_requirements):
    role = JobRoleFactory(name="Treatment Technician", code="tt")
    hold = SkillChecklistFactory(name="Safe hold")
    SkillRequirementFactory(job_role=role, checklist=hold)
    person = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Jordan", last_name="Blake"),
    )
    fake_requirements.add(
        person, "cpr", Status.MISSING, kind="credential", label="CPR / First Aid"
    )
    fake_requirements.add(
        person, "tb", Status.PENDING, kind="credential", label="TB test"
    )
    fake_requirements.add(
        person,
        "hipaa",
        Status.EXPIRING,
        kind="course",
        label="HIPAA",
        expires_on=dt.date(2026, 12, 6),
    )
    fake_requirements.add(person, "ok", Status.CURRENT, kind="course", label="Intro")
    return person


def test_second_reminder_within_12_hours_is_refused(
    client, supervisor, jordan, mailoutbox
):
    supervisor.first_name, supervisor.last_name = "Sofia", "Marsh"
    supervisor.save()
    client.force_login(supervisor)
    with time_machine.travel(
        dt.datetime(2026, 11, 25, 15, 42, tzinfo=dt.UTC), tick=False
    ):
        client.post(f"/staff/{jordan.pk}/remind/")
        response = client.post(f"/staff/{jordan.pk}/remind/", follow=True)
    assert len(mailoutbox) == 1
    html = response.content.decode()
    assert "Jordan Blake was already reminded at" in html
    assert "by Sofia Marsh; try again after" in html
    with time_machine.travel(
        dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC), tick=False
    ):
        client.post(f"/staff/{jordan.pk}/remind/")
    assert len(mailoutbox) == 2


def test_reminder_email_is_readable(client, supervisor, jordan, mailoutbox):
    client.force_login(supervisor)
    client.post(f"/staff/{jordan.pk}/remind/")
    body = mailoutbox[0].body
    act, waiting = body.split("Waiting on others")
    assert "What you can do (2 items):" in act
    assert "- CPR / First Aid — missing" in act
    assert "- HIPAA — expires 6 Dec 2026" in act
    assert "TB test" not in act and "Safe hold" not in act
    assert "- TB test — uploaded, waiting for verification" in waiting
    assert "- Safe hold — missing, needs a sign-off" in waiting
    assert "Intro" not in body
    assert "(s)" not in body and "&" not in body


def test_home_panel_and_matrix_count_the_same_people(
    client, team, other_team, supervisor, fake_requirements
):
    StaffProfileFactory.create_batch(3, team=team)
    # The supervisor is on staff, but on a team she does not supervise.
    StaffProfileFactory(user=supervisor, team=other_team)
    client.force_login(supervisor)
    home = client.get("/").content.decode()
    matrix = client.get("/matrix/").content.decode()
    assert "<dt>People</dt><dd>3</dd>" in home
    assert "3 people:" in matrix


def test_matrix_overall_counts_cover_every_page(client, hr, team, fake_requirements):
    people = StaffProfileFactory.create_batch(12, team=team)
    for person in people[:7]:
        fake_requirements.add(person, "cpr", Status.MISSING, before_first_shift=True)
    client.force_login(hr)
    html = client.get("/matrix/", {"per_page": 10}).content.decode()
    assert "12 people: 5 ready for the floor, 5 fully compliant." in html
    assert "This page:" in html and "Totals (this page)" in html
    assert '<option value="10" selected>' in html


def test_supervisor_filter_choices_and_bad_values(
    client, team, other_team, supervisor, fake_requirements
):
    StaffProfileFactory(team=team, user=UserFactory(first_name="Mine", last_name="A"))
    client.force_login(supervisor)
    html = client.get("/matrix/").content.decode()
    assert team.site.name in html and team.program.name in html
    assert other_team.site.name not in html
    assert other_team.program.name not in html
    assert other_team.name not in html
    html = client.get(
        "/matrix/", {"team": 999, "as_of": "garbage", "site": other_team.site.pk}
    ).content.decode()
    assert "Some filters were not understood" in html
    assert "There is no such team among yours." in html
    assert "There is no such site among yours." in html
    assert "Enter the date as YYYY-MM-DD" in html
    assert "Mine A" in html  # the valid rest still applies


def test_matrix_filters_fold_under_a_summary(client, hr, team, fake_requirements):
    StaffProfileFactory(team=team)
    client.force_login(hr)
    html = client.get("/matrix/", {"q": "x", "verdict": "ready"}).content.decode()
    assert '<details class="card matrix-filters"' in html
    assert "<summary>Filters (2 active)</summary>" in html


def test_dashboard_cards_and_renewals_in_the_window(
    client, hr, team, fake_requirements
):
    person = StaffProfileFactory(
        team=team, user=UserFactory(first_name="Rene", last_name="Wal")
    )
    as_of = dt.date(2026, 11, 1)
    for key, status, days in (
        ("soon", Status.EXPIRING, 20),
        ("later", Status.CURRENT, 80),
        ("far", Status.CURRENT, 120),
    ):
        fake_requirements.add(
            person,
            key,
            status,
            kind="credential",
            label=f"Cred {key}",
            expires_on=as_of + dt.timedelta(days=days),
        )
    client.force_login(hr)
    html = client.get("/compliance/", {"as_of": "2026-11-01"}).content.decode()
    cards = html.split('<div class="grid summary-cards">')[1].split("</div>")[0]
    assert cards.count('<section class="card">') == 5
    assert cards.count('class="stat"') == 5
    renewals = html.split('id="renew-h"')[1].split("</section>")[0]
    assert "Renewals in the next 90 days" in renewals
    assert "Cred soon" in renewals and "20 days left" in renewals
    assert "Cred later" in renewals and "80 days left" in renewals
    assert "Cred far" not in renewals and "Current" not in renewals
    html = client.get(
        "/compliance/", {"as_of": "2026-11-01", "within": 30}
    ).content.decode()
    renewals = html.split('id="renew-h"')[1].split("</section>")[0]
    assert "Renewals in the next 30 days" in renewals
    assert "Cred soon" in renewals and "Cred later" not in renewals


def test_a_large_unfiltered_matrix_counts_the_page_and_points_to_the_dashboard(
    client, hr, team, monkeypatch
):
    from compliance import selectors as compliance_selectors
    from tests.factories import StaffProfileFactory

    monkeypatch.setattr(compliance_selectors, "OVERALL_COUNT_LIMIT", 2)
    StaffProfileFactory.create_batch(3, team=team)
    client.force_login(hr)
    page = client.get("/matrix/").content.decode()
    assert "3 people." in page
    assert "Agency-wide rates are on the" in page
    assert 'href="/compliance/"' in page
    # A verdict filter still counts everyone it matches.
    filtered = client.get("/matrix/", {"verdict": "not_ready"}).content.decode()
    assert "Agency-wide rates are on the" not in filtered
