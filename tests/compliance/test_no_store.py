"""No copy of a signed-in person's pages or files stays in a browser or proxy
cache: every response to a signed-in request says ``Cache-Control: no-store``;
anonymous public pages keep their caching. Reuses the URL walk's world."""

from __future__ import annotations

import pytest

from tests.compliance.test_url_walk import body_of, build_url, walked_patterns
from tests.compliance.test_url_walk import world as world  # the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The private downloads, each walked below as well; listed so that a renamed
# route fails here instead of silently dropping out of the walk.
DOWNLOADS = {
    "credential_document",
    "courses:certificate",
    "compliance:training_file",
    "compliance:export_download",
    "classes:ce_certificate",
}


def _no_store(response) -> bool:
    directives = {
        d.strip().lower() for d in response.get("Cache-Control", "").split(",")
    }
    return "no-store" in directives and "private" in directives


def test_every_page_and_download_for_a_signed_in_person_is_no_store(client, world):
    patterns = walked_patterns()
    assert DOWNLOADS <= {name for _route, name, _cb in patterns}
    cached = []
    served = set()
    for user in (world.hr, world.owner.user):
        client.force_login(user)
        for route, name, _callback in patterns:
            response = client.get(build_url(route, name, world))
            body_of(response)
            if response.status_code == 200:
                served.add(name)
            if not _no_store(response):
                cached.append(f"{user} {route} -> {response.status_code}")
        for path in ("/cms/", world.course.page.url):
            response = client.get(path)
            if not _no_store(response):
                cached.append(f"{user} {path} -> {response.status_code}")
    assert not cached, "\n".join(cached)
    assert served >= DOWNLOADS  # each download was really served to someone


def test_anonymous_public_pages_keep_their_caching(client, world):
    verify = client.get(f"/verify/{world.completion.certificate_code}/")
    assert verify.status_code == 200
    assert "no-store" not in verify.get("Cache-Control", "")
    login = client.get("/accounts/login/")
    assert login.status_code == 200  # allauth decides its own login headers
