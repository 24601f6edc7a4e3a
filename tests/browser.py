"""Helpers for browser tests (Playwright driving Debian's chromium)."""

from urllib.parse import urlsplit

from tests.factories import PASSWORD


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # Signed in once the browser has left the login page (the session cookie is
    # set): a navigation started before then would cancel the login.
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login/")
    page.wait_for_load_state()


# --- Accessibility ------------------------------------------------------------

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")
_axe = None


def axe_violations(page) -> list[dict]:
    """Critical and serious WCAG 2.1 A/AA violations axe-core finds on the page."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    """Fail with a readable list when axe-core finds a serious or critical problem
    on a portal page. The CMS (/cms/) is Wagtail's own admin, judged upstream."""
    from urllib.parse import urlparse

    if urlparse(page.url).path.startswith("/cms/"):
        return
    found = axe_violations(page)
    lines = []
    for v in found:
        targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {'; '.join(targets)}")
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(lines)
