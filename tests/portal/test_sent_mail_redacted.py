"""The debug "Sent mail" page shows HR no one-time link: invitation and
password-reset links are hidden; a superuser sees messages whole."""

import re

import pytest

from portal.roles import Role
from portal.services import invitation_create, invitation_url
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


def test_hr_sees_no_invitation_or_reset_link_and_a_superuser_does(
    client, hr, file_mail, django_capture_on_commit_callbacks
):
    staff = StaffProfileFactory()
    admin = UserFactory(
        roles=[Role.ADMIN], is_superuser=True, is_staff=True, email="boss@x.org"
    )
    admin.set_password("long-enough-pass-2026")
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(user=staff.user)
    client.post("/accounts/password/reset/", {"email": "boss@x.org"})
    link = invitation_url(invitation)

    client.force_login(hr)
    page = client.get("/dev/sent-mail/").content.decode()
    assert "invites you to its training portal" in page
    assert "new password" in page.lower()
    assert link not in page and "/invitation/" not in page
    assert not re.search(r"/password/reset/key/\S+", page)
    assert page.count("one-time link hidden") >= 2

    client.force_login(admin)
    page = client.get("/dev/sent-mail/").content.decode()
    assert link in page
    assert re.search(r"/password/reset/key/\S+", page)
