"""The headline numbers mean what HR means: compliant is "nothing past due"
(training not yet due or in progress counts against no one), each headline says
what it counts, and every number opens the list of exactly those people."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from courses.services import assignments_create_for_job_role
from tests.courses.factories import make_course, require
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import (
    JobRoleFactory,
    SiteFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def agency(clock):
    """A technician's team: CPR within 30 days of hire, HIPAA within 60 days.

    Ben (hired 10 days ago: CPR not yet due, HIPAA in progress) and Dan (CPR on
    file, HIPAA due in 15 days) are compliant; Eve (HIPAA overdue), Cat (CPR
    missing 10 days past its due date) and Fay (an expired CPR card) are not.
    Gus, on another site's team, is compliant.
    """
    tech = JobRoleFactory(name="Treatment Technician", code="tech")
    cpr = CredentialTypeFactory(name="CPR", code="cpr", validity_months=24)
    CredentialRequirementFactory(job_role=tech, credential_type=cpr)
    require(make_course(title="HIPAA basics"), tech, days=60)
    team = TeamFactory(name="North house")
    other = TeamFactory(name="South clinic", site=SiteFactory(name="South"))
    people = {}
    for name, hired, card, where in (
        ("Ben", 10, None, team),
        ("Dan", 45, TODAY + dt.timedelta(days=400), team),
        ("Eve", 400, TODAY + dt.timedelta(days=400), team),
        ("Cat", 40, None, team),
        ("Fay", 10, _days_ago(3), team),
        ("Gus", 20, TODAY + dt.timedelta(days=400), other),
    ):
        person = StaffProfileFactory(
            job_role=tech,
            team=where,
            hire_date=_days_ago(hired),
            user=UserFactory(first_name=name, last_name="Tester"),
        )
        if card is not None:
            CredentialFactory(
                staff=person,
                credential_type=cpr,
                issued_on=card - dt.timedelta(days=730),
                expires_on=card,
            )
        # What a hire gets: the role's courses assigned, due from the hire date.
        assignments_create_for_job_role(staff=person)
        people[name] = person
    people["supervisor"] = make_supervisor(team)
    return people


def _listed(client, url: str) -> set[str]:
    """The first names the matrix at ``url`` lists (every page)."""
    names: set[str] = set()
    while url:
        html = client.get(url).content.decode()
        names |= set(re.findall(r'<th scope="row">.*?>(\w+) Tester</a>', html))
        more = re.search(r'<a [^>]*rel="next"[^>]*href="([^"]+)"', html) or re.search(
            r'<a [^>]*href="([^"]+)"[^>]*rel="next"', html
        )
        url = unescape(more.group(1)) if more else ""
        if url.startswith("?"):
            url = reverse("compliance:matrix") + url
    return names


def _number_links(html: str) -> dict[str, str]:
    """{link text: href} of every link in ``html`` whose text holds a number."""
    links = {}
    for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html):
        text = re.sub(r"<[^>]+>", "", text).strip()
        if re.search(r"\d", text):
            links[unescape(text)] = unescape(href)
    return links


def test_hr_headline_counts_nothing_past_due_as_compliant(client, hr, agency):
    client.force_login(hr)
    html = client.get(reverse("compliance:dashboard")).content.decode()
    cards = html.split('class="grid summary-cards"')[1].split("</div>")[0]
    # Ben, Dan and Gus: nothing past due, though two have training not yet due.
    assert "50%" in cards
    assert "3 of 6 people" in cards
    assert "3 have something past due" in cards
    # Each headline says what it counts.
    assert "Counts people with nothing past due" in cards
    assert "Training not yet due or in progress counts against no one" in cards
    assert "before their first shift" in cards


def test_supervisor_home_counts_the_same_way(client, agency):
    client.force_login(agency["supervisor"])
    html = client.get(reverse("home")).content.decode()
    panel = html.split('id="matrix-h"')[1].split("</section>")[0]
    facts = _number_links(panel)
    assert facts["5"] == reverse("compliance:matrix")
    assert "3" in facts  # not compliant: Eve, Cat, Fay
    assert "something is past due" in panel


def test_every_number_on_hr_dashboard_lists_exactly_those_people(client, hr, agency):
    client.force_login(hr)
    html = client.get(reverse("compliance:dashboard")).content.decode()
    cards = html.split('class="grid summary-cards"')[1].split("</div>")[0]
    links = _number_links(cards)
    assert _listed(client, links["50%"]) == {"Ben", "Dan", "Gus"}
    assert _listed(client, links["3 of 6 people"]) == {"Ben", "Dan", "Gus"}
    assert _listed(client, links["3 have something past due"]) == {
        "Eve",
        "Cat",
        "Fay",
    }
    # Ready for the floor: nothing is required before the first shift here.
    assert _listed(client, links["6 of 6 people"]) == {
        "Ben",
        "Dan",
        "Eve",
        "Cat",
        "Fay",
        "Gus",
    }
    assert _listed(client, links["0 not ready"]) == set()
    # Overdue or expired: Eve's course and Fay's card, two people.
    assert _listed(client, links["2 people"]) == {"Eve", "Fay"}
    # The renewal numbers open the dashboard's list of those renewals.
    # (the cards on file expire in 400 days: nothing to renew).
    assert links["0 in 90 days"].endswith("within=90#renew-h")
    renewals = client.get(reverse("compliance:dashboard") + "?within=90")
    assert "Nothing to renew in the next 90 days." in renewals.content.decode()
    # By site: each number opens its people on that site.
    sites = html.split('id="sites-h"')[1].split("</section>")[0]
    south = sites.split('<th scope="row">South</th>')[1].split("</tr>")[0]
    people, ready, compliant = re.findall(r'href="([^"]+)"', south)
    assert _listed(client, unescape(people)) == {"Gus"}
    assert _listed(client, unescape(ready)) == {"Gus"}
    assert _listed(client, unescape(compliant)) == {"Gus"}


def test_supervisor_home_numbers_list_exactly_their_people(client, agency):
    client.force_login(agency["supervisor"])
    html = client.get(reverse("home")).content.decode()
    panel = html.split('id="matrix-h"')[1].split("</section>")[0]
    links = re.findall(r"<dt>(.*?)</dt><dd><a href=\"([^\"]+)\"", panel)
    listed = {term: _listed(client, unescape(href)) for term, href in links}
    assert listed == {
        "People": {"Ben", "Dan", "Eve", "Cat", "Fay"},
        "Not ready for the floor": set(),
        "Not compliant (something past due)": {"Eve", "Cat", "Fay"},
        "People with something expired or overdue": {"Eve", "Fay"},
    }


def test_a_missing_card_counts_against_someone_the_day_after_it_was_due(
    client, hr, agency
):
    """Ben's CPR is due 30 days after his hire (20 days from now): the stored
    verdict turns on its own the day after, with no record changing."""
    client.force_login(hr)
    compliant = reverse("compliance:matrix") + "?verdict=compliant"
    assert _listed(client, compliant) == {"Ben", "Dan", "Gus"}  # stored today
    with time_machine.travel(NOON + dt.timedelta(days=20), tick=False):
        client.force_login(hr)  # a session does not last three weeks
        # Dan's course fell due on day 15; Ben's card is due today: not late yet.
        assert _listed(client, compliant) == {"Ben", "Gus"}
    with time_machine.travel(NOON + dt.timedelta(days=21), tick=False):
        client.force_login(hr)
        assert _listed(client, compliant) == {"Gus"}
