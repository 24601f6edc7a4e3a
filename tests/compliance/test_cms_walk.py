"""Every screen of the CMS without a path parameter, as each role that uses the
CMS: a GET, an empty POST (a form posted without its fields) and a GET with junk
in the query answer a page, a refusal or a form error, never a server error.

The project's own pages are walked by test_url_walk.py and test_junk_walk.py;
this is their CMS counterpart (Wagtail's screens and the viewsets registered in
its hooks)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.compliance.test_url_walk import project_patterns
from tests.factories import UserFactory, make_hr

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Screens that end the session, or fail on purpose (Wagtail's error test page).
NOT_WALKED = {"cms/logout/", "cms/failwhale/", "cms/test404/"}
JUNK_QUERY = {"q": "x" * 3000, "p": "-1", "id": "abc", "ordering": "é漢字"}


def cms_screens() -> list[str]:
    """Every CMS address without a parameter, each once."""
    out = []
    for route, _name, _callback in project_patterns():
        path = route.replace("^", "")
        if (
            path.startswith("cms/")
            and not re.search(r"[<(\[\]$*?]", path)
            and path not in NOT_WALKED
            and "/" + path not in out
        ):
            out.append("/" + path)
    return out


@pytest.fixture
def cms_users(db):
    roles_ensure()
    author = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    library_grant_authors(library=library_page())
    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    return {"HR": make_hr(), "author": author, "admin": admin}


def test_no_cms_screen_answers_a_server_error(cms_users):
    screens = cms_screens()
    assert "/cms/choose-external-link/" in screens
    assert "/cms/snippets/choose/skills/skillchecklist/create/" in screens
    client = Client(raise_request_exception=False)
    errors = []
    for label, user in cms_users.items():
        for path in screens:
            client.force_login(user)
            for method, response in (
                ("GET", lambda p=path: client.get(p)),
                ("POST", lambda p=path: client.post(p, {})),
                ("GET junk", lambda p=path: client.get(p, JUNK_QUERY)),
            ):
                status = response().status_code
                if status >= 500:
                    errors.append(f"{label} {method} {path} -> {status}")
    assert not errors, "\n".join(errors)
