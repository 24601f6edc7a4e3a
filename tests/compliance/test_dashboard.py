"""HR's dashboard: renewals grouped by 30/60/90 days with counts, a CSV and pages;
the overdue list in pages; a section menu to jump around."""

import csv
import datetime as dt
import io

import pytest

from portal.requirements import Status
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def renewals(team, fake_requirements):
    person = StaffProfileFactory(
        team=team, user=UserFactory(first_name="Rene", last_name="Wal")
    )
    # 20 within 30 days, 3 in 31-60 days, 1 in 61-90 days, 1 beyond.
    days = [5] * 20 + [40, 45, 50] + [80] + [120]
    for n, d in enumerate(days):
        fake_requirements.add(
            person,
            f"c{n}",
            Status.EXPIRING if d <= 30 else Status.CURRENT,
            kind="credential",
            label=f"Cred {n:02d} in {d}",
            expires_on=AS_OF + dt.timedelta(days=d),
        )
    for n in range(18):
        fake_requirements.add(
            person, f"late{n}", Status.OVERDUE, label=f"Late course {n:02d}"
        )
    return person


def test_renewals_are_grouped_by_30_60_90_days_with_counts(client, hr, renewals):
    client.force_login(hr)
    html = client.get("/compliance/", {"as_of": AS_OF.isoformat()}).content.decode()
    section = html.split('id="renew-h"')[1].split("</section>")[0]
    assert "<strong>20</strong> within 30 days" in section
    assert "<strong>3</strong> in 31 to 60 days" in section
    assert "<strong>1</strong> in 61 to 90 days" in section
    # First page: 15 rows of the first group, under its heading with its count.
    assert "Within 30 days (20)" in section
    assert section.count(">5 days left<") == 15
    assert "In 31 to 60 days (" not in section
    assert "Page 1 of 2 (24 in all)" in section
    assert "Cred 24 in 120" not in section
    second = client.get(
        "/compliance/", {"as_of": AS_OF.isoformat(), "renewals_page": 2}
    ).content.decode()
    section = second.split('id="renew-h"')[1].split("</section>")[0]
    assert section.count(">5 days left<") == 5
    assert "In 31 to 60 days (3)" in section and "In 61 to 90 days (1)" in section
    assert "80 days left" in section
    # The other list keeps its own page.
    assert 'href="?as_of=2026-11-01&amp;renewals_page=2&amp;overdue_page=2' in second


def test_overdue_list_comes_in_pages(client, hr, renewals):
    client.force_login(hr)
    html = client.get("/compliance/", {"as_of": AS_OF.isoformat()}).content.decode()
    section = html.split('id="overdue-h"')[1].split("</section>")[0]
    assert "Overdue and expired (18)" in section
    assert section.count("Late course") == 15
    assert "Page 1 of 2 (18 in all)" in section
    html = client.get(
        "/compliance/", {"as_of": AS_OF.isoformat(), "overdue_page": 2}
    ).content.decode()
    section = html.split('id="overdue-h"')[1].split("</section>")[0]
    assert section.count("Late course") == 3


def test_section_menu_links_to_each_section(client, hr, renewals):
    client.force_login(hr)
    html = client.get("/compliance/", {"as_of": AS_OF.isoformat()}).content.decode()
    nav = html.split('aria-label="Sections of this page"')[1].split("</nav>")[0]
    for anchor in ("summary-h", "renew-h", "overdue-h", "newhires-h", "sites-h"):
        assert f'href="#{anchor}"' in nav
        assert f'id="{anchor}"' in html
    assert "Renewals (24)" in nav and "Overdue and expired (18)" in nav


def test_renewals_csv_follows_the_date_and_window(client, hr, renewals):
    client.force_login(hr)
    response = client.get(
        "/compliance/renewals.csv", {"as_of": AS_OF.isoformat(), "within": 60}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Renew by",
        "Days left",
        "Within",
        "Person",
        "Requirement",
        "Type",
    ]
    assert len(rows) == 1 + 23
    assert rows[1][:4] == ["2026-11-06", "5", "30 days", "Rene Wal"]
    assert rows[-1][1:3] == ["50", "60 days"]
    assert rows[-1][5] == "Credential"


def test_only_hr_downloads_the_renewals(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/compliance/renewals.csv").status_code == 403


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
