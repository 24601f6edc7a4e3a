"""A person's page tells HR how they sign in; HR unlinks a single sign-on
identity with a reason that is kept in the log."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from portal.models import AccessChange
from tests.factories import StaffProfileFactory, make_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    staff = StaffProfileFactory()
    SocialAccount.objects.create(user=staff.user, provider="agency", uid="sub-9")
    return staff


def test_hr_sees_how_a_person_signs_in(client, linked):
    client.force_login(make_hr())
    html = client.get(f"/staff/{linked.pk}/").content.decode()
    assert "How they sign in" in html
    assert "Password and single sign-on" in html
    assert "Unlink single sign-on" in html


def test_hr_unlinks_with_a_reason_and_it_is_logged(client, linked):
    hr = make_hr()
    client.force_login(hr)
    refused = client.post(f"/staff/{linked.pk}/sso/unlink/", {"reason": " "})
    assert refused.status_code == 302
    assert SocialAccount.objects.filter(user=linked.user).exists()
    client.post(f"/staff/{linked.pk}/sso/unlink/", {"reason": "Wrong person linked"})
    assert not SocialAccount.objects.filter(user=linked.user).exists()
    change = AccessChange.objects.get(user=linked.user)
    assert change.action == AccessChange.Action.SSO_UNLINKED and change.by == hr
    assert "Wrong person linked" in change.reason and "agency" in change.reason
    html = client.get(f"/staff/{linked.pk}/").content.decode()
    assert "Single sign-on identity unlinked" in html


def test_the_person_cannot_unlink_themselves(client, linked):
    client.force_login(linked.user)
    client.post(f"/staff/{linked.pk}/sso/unlink/", {"reason": "mine"})
    assert SocialAccount.objects.filter(user=linked.user).exists()
