"""In Chromium: a known person signs in with the agency's identity provider (a
real OpenID Connect provider on a local port) and lands on the portal home."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import StaffProfileFactory, UserFactory
from tests.portal import oidc_mock

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def issuer() -> Iterator[str]:
    with oidc_mock.provider_running() as url:
        yield url


def test_a_known_person_signs_in_with_the_provider_and_lands_on_home(
    page, settings, issuer
):
    oidc_mock.configure(settings, issuer)
    StaffProfileFactory(
        user=UserFactory(email="ana@agency.example", first_name="Ana", last_name="Lima")
    )
    oidc_mock.set_person(
        issuer, "ana-sub", email="ana@agency.example", email_verified=True
    )
    # The provider's page asks a CDN for its stylesheet; there is no network here.
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())

    page.goto("/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {oidc_mock.LABEL}").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    assert page.url.startswith(f"{issuer}/oauth2/authorize")
    page.get_by_placeholder("sub").fill("ana-sub")
    page.get_by_role("button", name="Authorize", exact=True).click()

    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    # Signed in: the portal's own menu, which the login page does not have.
    expect(page.get_by_role("link", name="My training")).to_be_visible()
