"""One front door: every way to sign in is allauth's login, so two-factor
authentication and the login limits apply everywhere."""

from __future__ import annotations

import inspect
import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import Resolver404, resolve

from portal.roles import Role
from tests.compliance.test_url_walk import project_patterns
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# The former doors: Django's admin login, the CMS login, Wagtail's front-end login.
FORMER_DOORS = ["/django-admin/login/", "/cms/login/", "/learn/_util/login/"]

# Views allowed to render or accept a password besides allauth's own.
ALLOWED_OUTSIDE_ALLAUTH = {
    # Sets the first password from a one-time link; does not sign in (the next
    # step is the allauth login).
    "invitation_accept",
}

_PASSWORD_CODE = re.compile(
    r"authenticate\(|check_password|set_password|Password\w*Form|"
    r"AuthenticationForm|password_form|PasswordInput|LoginView"
)
_PASSWORD_CLASS = re.compile(r"Login|Password|Authenticat")


def _form_has_password_field(form_class) -> bool:
    fields = getattr(form_class, "base_fields", {}) or {}
    return any(
        type(field.widget).__name__ == "PasswordInput" for field in fields.values()
    )


def renders_or_accepts_a_password(callback) -> bool:
    """True when a view shows a password field or checks or sets a password."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        for klass in view_class.__mro__:
            if klass is object or klass.__module__.startswith("django.views"):
                continue
            if _PASSWORD_CLASS.search(klass.__name__):
                return True
        form_class = getattr(view_class, "form_class", None)
        return bool(form_class and _form_has_password_field(form_class))
    func = inspect.unwrap(callback)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    return bool(_PASSWORD_CODE.search(source))


def _sample_path(route: str) -> str:
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _reachable(route: str, callback) -> bool:
    """Whether a request to this pattern reaches its view (an earlier pattern in
    portal/urls.py shadows the doors it closes)."""
    try:
        match = resolve(_sample_path(route))
    except Resolver404:
        return True  # the sample does not fit its converters: assume reachable
    return inspect.unwrap(match.func) is inspect.unwrap(callback)


def test_allauth_is_the_only_view_that_takes_a_password():
    found, other = [], []
    for route, name, callback in project_patterns():
        if not renders_or_accepts_a_password(callback):
            continue
        found.append(route)
        if not _reachable(route, callback):
            continue
        owner = getattr(callback, "view_class", None) or inspect.unwrap(callback)
        module = getattr(owner, "__module__", "") or ""
        if module.startswith("allauth.") or name in ALLOWED_OUTSIDE_ALLAUTH:
            continue
        other.append(f"/{route} ({name}, {module})")
    # The collector does find the password views (allauth's and the closed doors).
    assert any(r.startswith("accounts/login") for r in found)
    assert any(r.startswith("cms/login") for r in found)
    assert any(r.startswith("django-admin/") for r in found)
    assert not other, "password views outside allauth:\n" + "\n".join(other)


@pytest.mark.parametrize("door", FORMER_DOORS)
def test_a_former_door_sends_visitors_to_the_allauth_login(client, door):
    response = client.get(door + "?next=/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=" in response["Location"]


@pytest.mark.parametrize("door", FORMER_DOORS)
def test_posting_a_password_to_a_former_door_logs_nobody_in(client, door):
    user = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    client.get(door)
    client.post(door, {"username": user.email, "password": PASSWORD})
    client.post(door, {"login": user.email, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.parametrize("door", FORMER_DOORS)
def test_a_totp_user_coming_through_a_former_door_is_asked_for_the_code(client, door):
    user = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    to_login = client.get(door)
    assert to_login["Location"].startswith("/accounts/login/")
    step = client.post(
        to_login["Location"], {"login": user.email, "password": PASSWORD}
    )
    assert step.status_code == 302
    assert step["Location"].startswith("/accounts/2fa/authenticate/")
    # The password alone does not let them in anywhere.
    for page in ("/", "/cms/", "/django-admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/login" in response["Location"], page
    asked = client.get(step["Location"])
    assert asked.status_code == 200
    assert 'name="code"' in asked.content.decode()

    done = client.post(step["Location"], {"code": _current_code(secret)})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/cms/").status_code == 200


def test_get_cms_logout_does_not_log_anyone_out(client):
    user = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    client.force_login(user)
    response = client.get("/cms/logout/")
    # allauth's page that asks "Are you sure?" and logs out on POST only.
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert client.get("/").status_code == 200
    assert client.get("/cms/").status_code == 200
    # Logging out takes a POST, from the CMS's menu or the portal's.
    client.post("/cms/logout/")
    assert client.get("/").status_code == 302


def test_admins_cannot_set_someone_elses_password_in_the_django_admin(client):
    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    other = UserFactory()
    client.force_login(admin)
    password_page = client.get(f"/django-admin/portal/user/{other.pk}/password/")
    assert password_page.status_code in (302, 404)
    add = client.get("/django-admin/portal/user/add/")
    assert add.status_code == 200
    assert 'type="password"' not in add.content.decode()
    edit = client.get(f"/django-admin/portal/user/{other.pk}/change/")
    assert edit.status_code == 200
    assert "/password/" not in edit.content.decode()
