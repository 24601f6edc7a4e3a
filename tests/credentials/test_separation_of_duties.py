"""Nobody verifies or rejects their own credential: an HR user's own credentials
wait in the queue for another HR user, and the queue says so."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from credentials.models import Credential
from credentials.services import credential_reject, credential_verify
from tests.credentials.factories import CredentialFactory
from tests.factories import StaffProfileFactory, make_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_on_staff():
    return StaffProfileFactory(user=make_hr(first_name="Harriet", last_name="Ross"))


@pytest.fixture
def own(hr_on_staff):
    return CredentialFactory(staff=hr_on_staff, verification_status="pending")


def test_hr_cannot_verify_or_reject_their_own_credential(client, hr_on_staff, own):
    client.force_login(hr_on_staff.user)
    review = client.get(f"/verification/{own.pk}/", follow=True)
    assert "another HR user reviews it" in review.content.decode()
    client.post(f"/verification/{own.pk}/", {"verify": "1"})
    client.post(f"/verification/{own.pk}/", {"reject": "1", "reason": "Blurry scan"})
    own.refresh_from_db()
    assert own.verification_status == Credential.Verification.PENDING
    with pytest.raises(ValidationError):
        credential_verify(credential=own, by=hr_on_staff.user)
    with pytest.raises(ValidationError):
        credential_reject(credential=own, by=hr_on_staff.user, reason="x")


def test_the_queue_leaves_your_own_credential_to_another_hr_user(
    client, hr_on_staff, own
):
    someone = CredentialFactory(verification_status="pending")
    client.force_login(hr_on_staff.user)
    queue = client.get("/verification/").content.decode()
    assert "Yours: another HR user reviews it" in queue
    assert f"/verification/{own.pk}/" not in queue
    assert f"/verification/{someone.pk}/" in queue

    colleague = make_hr()
    client.force_login(colleague)
    queue = client.get("/verification/").content.decode()
    assert f"/verification/{own.pk}/" in queue
    done = client.post(f"/verification/{own.pk}/", {"verify": "1"})
    assert done.status_code == 302
    own.refresh_from_db()
    assert own.verification_status == Credential.Verification.VERIFIED
    assert own.verified_by == colleague
