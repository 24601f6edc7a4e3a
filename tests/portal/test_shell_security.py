"""A tighter shell: idle logoff on the server, security headers, no inline script,
password rules, and `check --deploy` clean in production settings."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from credentials.services import credential_document_add
from tests.credentials.factories import CredentialFactory, pdf_upload
from tests.factories import PASSWORD, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)


# --- Idle logoff ---------------------------------------------------------------------


@pytest.fixture
def idle_30(settings):
    settings.IDLE_TIMEOUT_MINUTES = 30


def _sign_in(client, user) -> None:
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_a_session_idle_for_thirty_minutes_ends_on_the_server(client, idle_30):
    staff = StaffProfileFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, staff.user)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity resets the clock
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        login_page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in login_page


def test_reading_pages_moves_the_idle_clock_without_a_write_per_page(client, idle_30):
    """A page read writes the session (three queries) at most every
    LAST_SEEN_STEP seconds; the timeout allows for the step."""
    from portal.middleware import LAST_SEEN_STEP, SESSION_LAST_SEEN

    staff = StaffProfileFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, staff.user)
        client.get("/")
        seen = client.session[SESSION_LAST_SEEN]
        clock.shift(dt.timedelta(seconds=LAST_SEEN_STEP - 5))
        client.get("/")
        assert client.session[SESSION_LAST_SEEN] == seen
        clock.shift(dt.timedelta(seconds=10))
        client.get("/")
        assert client.session[SESSION_LAST_SEEN] > seen
        # Idle for the timeout less the step after a read that wrote nothing:
        # still signed in.
        clock.shift(dt.timedelta(seconds=LAST_SEEN_STEP - 5))
        client.get("/")
        clock.shift(dt.timedelta(minutes=30) - dt.timedelta(seconds=1))
        assert client.get("/").status_code == 200


def test_stay_signed_in_keeps_the_session(client, idle_30):
    staff = StaffProfileFactory()
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(client, staff.user)
        page = client.get("/").content.decode()
        assert 'data-idle-seconds="1800"' in page
        assert "js/idle.js" in page
        clock.shift(dt.timedelta(minutes=29))
        keep = client.post("/session/keepalive/")
        assert keep.status_code == 200
        assert keep.json() == {"idle_timeout_seconds": 1800}
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200


def test_the_cms_pages_carry_the_warning_too(client, idle_30):
    admin = UserFactory(roles=["Admin"], is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get("/cms/").content.decode()
    assert re.search(
        r'<script src="[^"]*js/idle\.js"[^>]*data-idle-seconds="1800"', page
    )


def test_production_default_is_thirty_minutes():
    result = _run_settings_probe(
        "print(settings.IDLE_TIMEOUT_MINUTES, ','.join(settings.MFA_REQUIRED_ROLES))"
    )
    assert result.stdout.split() == ["30", "Admin,HR,Supervisor,Author"]
    demo = _run_settings_probe(
        "print(settings.IDLE_TIMEOUT_MINUTES, repr(settings.MFA_REQUIRED_ROLES))",
        production=False,
    )
    assert demo.stdout.split() == ["30", "[]"]  # the demo keeps MFA off


# --- Headers -------------------------------------------------------------------------


def test_pages_send_a_policy_without_inline_script_and_deny_framing(client):
    staff = StaffProfileFactory()
    client.force_login(staff.user)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    login = client.get("/accounts/login/")
    assert login["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in re.search(
        r"script-src ([^;]*)", login["Content-Security-Policy"]
    ).group(1)


def test_the_cms_policy_differs_only_by_allowing_its_inline_scripts(client):
    admin = UserFactory(roles=["Admin"], is_superuser=True, is_staff=True)
    client.force_login(admin)
    cms = client.get("/cms/")["Content-Security-Policy"]
    portal = client.get("/")["Content-Security-Policy"]
    assert cms.replace("script-src 'self' 'unsafe-inline'", "script-src 'self'") == (
        portal
    )


def test_the_document_preview_may_be_framed_by_the_portal_only(client):
    staff = StaffProfileFactory()
    credential = CredentialFactory(staff=staff)
    document = credential_document_add(
        credential=credential, upload=pdf_upload(), by=staff.user
    )
    client.force_login(staff.user)
    inline = client.get(f"/credentials/documents/{document.pk}/?inline=1")
    assert inline.status_code == 200
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(f"/credentials/documents/{document.pk}/")
    assert download["X-Frame-Options"] == "DENY"


TEMPLATE_DIRS = [ROOT / "templates"] + [
    ROOT / app / "templates"
    for app in ("portal", "courses", "credentials", "skills", "compliance")
]


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and 'type="application/json"' not in tag:
                    offenders.append(f"{path.relative_to(ROOT)}: {tag}")
            for handler in re.findall(r"\son[a-z]+\s*=\s*[\"']", text):
                offenders.append(f"{path.relative_to(ROOT)}: {handler.strip()}")
            if "javascript:" in text:
                offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert not offenders, "\n".join(offenders)


# --- Passwords -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["short-pw-1", "password1234", "123456789012", "1q2w3e4r5t6y"]
)
def test_short_or_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(email="x@example.org"))


def test_the_demo_password_is_still_accepted():
    validate_password("milieu-demo-2026", UserFactory.build(email="x@example.org"))


# --- check --deploy ------------------------------------------------------------------


def _production_env(tmp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "MILIEU_VAR_DIR": str(tmp / "var"),
        "DJANGO_DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "training.example.org",
    }


def _run_settings_probe(
    code: str, *, production: bool = True, extra: dict[str, str] | None = None
):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**_production_env(Path(tmp)), **(extra or {})}
        if not production:
            env = {k: v for k, v in env.items() if k not in ("DJANGO_DEBUG",)}
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; from django.conf import settings; django.setup(); "
                + code,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    return result


def test_check_deploy_passes_without_a_warning_in_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_lasts_a_year_when_it_claims_preload():
    """The preload list refuses a max-age under a year: a portal that claims
    preload sends one year, and a shorter max-age set by the operator drops the
    claim instead of sending a header the list would reject."""
    probe = "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD)"
    assert _run_settings_probe(probe).stdout.split() == ["31536000", "True"]
    month = _run_settings_probe(probe, extra={"SECURE_HSTS_SECONDS": "2592000"})
    assert month.stdout.split() == ["2592000", "False"]
