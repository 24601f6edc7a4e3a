"""Whom each role may see, through the one selector and the pages built on it."""

import pytest

from portal.selectors import staff_is_visible_to, staff_visible_to
from tests.factories import StaffProfileFactory, UserFactory, make_supervisor

pytestmark = pytest.mark.django_db


def test_supervisor_sees_their_teams_and_never_another_team(
    team, other_team, supervisor
):
    mine = StaffProfileFactory.create_batch(3, team=team)
    theirs = StaffProfileFactory.create_batch(2, team=other_team)
    visible = set(staff_visible_to(user=supervisor))
    assert set(mine) <= visible
    assert not (set(theirs) & visible)
    assert not staff_is_visible_to(user=supervisor, staff=theirs[0])


def test_supervisor_of_two_teams_sees_both_without_duplicates(team, other_team):
    boss = make_supervisor(team, other_team)
    people = [StaffProfileFactory(team=team), StaffProfileFactory(team=other_team)]
    visible = list(staff_visible_to(user=boss))
    assert set(people) <= set(visible)
    assert len(visible) == len(set(visible))


def test_staff_see_only_themselves(team):
    me, colleague = StaffProfileFactory.create_batch(2, team=team)
    assert list(staff_visible_to(user=me.user)) == [me]
    assert not staff_is_visible_to(user=me.user, staff=colleague)


def test_hr_and_admin_see_everyone(hr, team, other_team):
    people = [StaffProfileFactory(team=team), StaffProfileFactory(team=other_team)]
    admin = UserFactory(roles=["Admin"])
    for user in (hr, admin):
        assert set(people) <= set(staff_visible_to(user=user))


def test_a_user_without_a_role_sees_nobody_else(team):
    nobody = UserFactory(roles=[])
    StaffProfileFactory(team=team)
    assert list(staff_visible_to(user=nobody)) == []


def test_staff_directory_lists_only_the_supervisors_people(
    client, team, other_team, supervisor
):
    # Names no random (Faker) name can be: the page also shows the supervisor's own.
    mine = StaffProfileFactory(team=team, user__last_name="Mineworth")
    theirs = StaffProfileFactory(team=other_team, user__last_name="Theirsby")
    client.force_login(supervisor)
    page = client.get("/staff/").content.decode()
    assert mine.user.email not in page  # emails are not listed, names are
    assert mine.user.last_name in page
    assert theirs.user.last_name not in page


def test_person_page_is_404_for_another_teams_supervisor(
    client, staff, other_supervisor
):
    client.force_login(other_supervisor)
    assert client.get(f"/staff/{staff.pk}/").status_code == 404


def test_person_page_is_404_for_a_colleague_and_200_for_self(client, staff, team):
    colleague = StaffProfileFactory(team=team)
    client.force_login(colleague.user)
    assert client.get(f"/staff/{staff.pk}/").status_code == 404
    client.force_login(staff.user)
    assert client.get(f"/staff/{staff.pk}/").status_code == 200


def test_staff_cannot_open_the_directory(client, staff):
    client.force_login(staff.user)
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "This page is for supervisors and HR" in response.content.decode()


def test_staff_directory_search_and_empty_state(client, hr, team):
    StaffProfileFactory(team=team, user__last_name="Quintanilla")
    client.force_login(hr)
    assert "Quintanilla" in client.get("/staff/?q=quint").content.decode()
    empty = client.get("/staff/?q=nobody-by-this-name").content.decode()
    assert "Nobody matches these filters" in empty


def test_staff_directory_filters_by_site_and_keeps_filters_across_pages(
    client, hr, team, other_team
):
    StaffProfileFactory.create_batch(26, team=team, user__last_name="Here")
    StaffProfileFactory(team=other_team, user__last_name="Elsewhere")
    client.force_login(hr)
    page = client.get("/staff/", {"site": team.site.pk}).content.decode()
    assert "Here" in page and "Elsewhere" not in page
    assert "Page 1 of 2" in page
    assert f'href="?site={team.site.pk}&amp;page=2"' in page
    assert "Clear</a>" in page
    # A site it does not know is an error on the form, not a 500 or an empty page.
    junk = client.get("/staff/", {"site": "nowhere"})
    assert junk.status_code == 200
    assert "Elsewhere" in junk.content.decode()


def test_staff_directory_paginates(client, hr, team):
    StaffProfileFactory.create_batch(30, team=team)
    client.force_login(hr)
    first = client.get("/staff/").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/staff/?page=2").status_code == 200


def test_staff_directory_query_count_does_not_grow(
    client, hr, team, django_assert_max_num_queries
):
    StaffProfileFactory.create_batch(25, team=team)
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        client.get("/staff/")


def test_cms_and_django_admin_refuse_staff_and_supervisors(client, staff, supervisor):
    for user in (staff.user, supervisor):
        client.force_login(user)
        response = client.get("/cms/", follow=True)
        assert response.status_code == 403
        assert "The CMS is for content authors" in response.content.decode()
        response = client.get("/django-admin/")
        assert response.status_code == 302
        assert "/django-admin/login/" in response["Location"]


def test_cms_admits_hr(client, hr):
    client.force_login(hr)
    assert client.get("/cms/").status_code == 200


def test_cms_sends_visitors_to_the_login_page(client):
    response = client.get("/cms/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "next=/cms/" in response.redirect_chain[-1][0].replace("%2F", "/")


def test_staff_search_does_not_match_the_shared_email_domain(client, hr, team):
    StaffProfileFactory(team=team, user__first_name="Zed", user__last_name="Young")
    client.force_login(hr)
    page = client.get("/staff/?q=example").content.decode()
    assert "Nobody matches these filters" in page
    assert "Young" in client.get("/staff/?q=you").content.decode()


def test_home_lists_the_teams_a_person_leads_hr_who_also_supervise_included(
    client, settings, team, other_team, supervisor
):
    from portal.roles import Role

    settings.MFA_REQUIRED_ROLES = []
    lead = UserFactory(roles=[Role.STAFF, Role.HR, Role.SUPERVISOR])
    team.supervisors.add(lead)
    for user, shown, hidden in (
        (lead, team, other_team),
        (supervisor, team, other_team),
    ):
        client.force_login(user)
        page = client.get("/").content.decode()
        assert "Teams you supervise" in page
        assert "You supervise no team yet" not in page
        assert f"?team={shown.pk}" in page and f"?team={hidden.pk}" not in page
    client.force_login(UserFactory(roles=[Role.STAFF, Role.HR]))
    assert "Teams you supervise" not in client.get("/").content.decode()
