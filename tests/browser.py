"""Helpers for browser tests (Playwright driving Debian's chromium)."""

from tests.factories import PASSWORD


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
