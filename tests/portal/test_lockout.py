"""Login limits that fit an agency behind one TLS proxy: strict per account, loose
per address, and the address is the one the trusted proxy saw (and what an
attestation records)."""

from __future__ import annotations

import pytest

from courses.models import Attestation
from courses.services import (
    assignments_create_for_job_role,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from tests.courses.factories import RIGHT, answers_for, make_course, require
from tests.factories import PASSWORD, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.5"  # the agency's one public address
PROXY = "10.0.0.2"  # the TLS proxy in front of the portal


def _login(client, email: str, password: str, **meta) -> bool:
    """True when the login succeeded (the session holds a user)."""
    client.post("/accounts/login/", {"login": email, "password": password}, **meta)
    ok = "_auth_user_id" in client.session
    client.logout()
    return ok


def test_eight_failures_on_one_account_do_not_stop_a_colleague(client):
    alice = UserFactory(email="alice@example.org")
    bob = UserFactory(email="bob@example.org")
    for _ in range(8):
        assert not _login(client, alice.email, "wrong-password-123", REMOTE_ADDR=OFFICE)
    # Alice's account is locked for a while, even with the right password ...
    assert not _login(client, alice.email, PASSWORD, REMOTE_ADDR=OFFICE)
    response = client.post(
        "/accounts/login/",
        {"login": alice.email, "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
    )
    assert "Too many failed login attempts" in response.content.decode()
    # ... but Bob, at the next desk, logs in.
    assert _login(client, bob.email, PASSWORD, REMOTE_ADDR=OFFICE)


def test_the_production_limits_are_five_per_account_and_a_hundred_per_address(
    settings,
):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "100/15m/ip,5/15m/key"


@pytest.fixture
def tight_ip_limit(settings):
    """Three failures per address, so the tests need not make a hundred."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "3/15m/ip,5/15m/key",
    }


def _fail_from(client, n: int, **meta) -> None:
    for i in range(n):
        _login(client, f"nobody{i}@example.org", "wrong-password-123", **meta)


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(
    client, settings, tight_ip_limit
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    _fail_from(client, 3, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # That address is now limited ...
    assert not _login(
        client,
        user.email,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    # ... while another person behind the same proxy logs in.
    assert _login(
        client,
        user.email,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(
    client, settings, tight_ip_limit
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    for i in range(3):
        _login(
            client,
            f"nobody{i}@example.org",
            "wrong-password-123",
            REMOTE_ADDR=OFFICE,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    # Claiming yet another address does not escape the limit on the real one.
    assert not _login(
        client,
        user.email,
        PASSWORD,
        REMOTE_ADDR=OFFICE,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )


def _sign_attestation(client, **meta) -> Attestation:
    staff = StaffProfileFactory(user__first_name="Jordan", user__last_name="Blake")
    course = make_course(lessons=1, attestation=True)
    require(course, staff.job_role)
    assignments_create_for_job_role(staff=staff)
    client.force_login(staff.user)
    client.post(f"/training/lessons/{course.lessons[0].pk}/complete/")
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(course, RIGHT),
    )
    response = client.post(
        course.attestation.url, {"full_name": "Jordan Blake", "agree": "on"}, **meta
    )
    assert response.status_code == 302
    return Attestation.objects.get(staff=staff)


def test_an_attestation_records_the_forwarded_address_behind_a_trusted_proxy(
    client, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    signed = _sign_attestation(
        client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert signed.ip == "198.51.100.7"


def test_an_attestation_ignores_a_forged_header_without_a_trusted_proxy(
    client, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    signed = _sign_attestation(
        client, REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert signed.ip == OFFICE
