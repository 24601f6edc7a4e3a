"""Every URL pattern walked with junk in every path and query parameter, as each
role: a malformed address answers 400, 404 or a page with a clear message, never
a server error. Reuses the world and helpers of test_url_walk.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator

import django_filters
import pytest
from django import forms
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client

from classes import filters as class_filters
from classes import forms as class_forms
from compliance import filters as compliance_filters
from compliance import forms as compliance_forms
from courses import forms as course_forms
from credentials import forms as credential_forms
from portal import filters as portal_filters
from portal import forms as portal_forms
from skills import forms as skill_forms
from tests.compliance.test_url_walk import (
    PARAM_FACTORIES,
    body_of,
    walked_patterns,
)
from tests.compliance.test_url_walk import world as world  # the fixture
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory

pytestmark = pytest.mark.django_db

JUNK = [
    "abc",
    "-1",
    str(2**63),
    "0000-00-00",
    "9999-12-31",
    "x" * 3000,
    "é漢字\u202e🙂",
    "a\x00b",
]
# Query parameters read with request.GET.get(...) outside a form.
LOOSE_QUERY_NAMES = {"checklist", "corrects", "inline", "page", "staff", "type"}


def query_names() -> list[str]:
    """Every query parameter a page may read: the loose ones, every field of the
    project's forms and every filter of its FilterSets (bound to request.GET)."""
    names = set(LOOSE_QUERY_NAMES)
    for module in (
        class_filters,
        class_forms,
        compliance_filters,
        compliance_forms,
        course_forms,
        credential_forms,
        portal_filters,
        portal_forms,
        skill_forms,
    ):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                names.update(value.base_filters)
    return sorted(names)


@contextlib.contextmanager
def reads_of_query() -> Iterator[set[str]]:
    """The names a view reads from request.GET (by .get, [], getlist or in)."""
    seen: set[str] = set()
    originals = {
        name: getattr(QueryDict, name)
        for name in ("get", "__getitem__", "getlist", "__contains__")
    }

    def spy(name):
        original = originals[name]

        def read(self, key, *args, **kwargs):
            seen.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for name in originals:
        setattr(QueryDict, name, spy(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def urls_for(route: str, name: str | None, world, probes) -> list[tuple]:
    """(method, path, query) triples: the real object's path with junk in each
    query parameter the page reads, then junk in each path parameter."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = PARAM_FACTORIES[name](world) if params else {}

    def fill(values: dict) -> str:
        url = "/" + route
        for key in params:
            url = re.sub(rf"<(?:\w+:)?{key}>", str(values[key]), url)
        return url

    path = fill(kwargs)
    every = dict.fromkeys(query_names(), "1")
    read: set[str] = set()
    with reads_of_query() as seen:
        for client in probes:
            client.get(path, every)
    read = {key for key in seen if key in every}
    out = [("get", path, {key: junk}) for key in sorted(read) for junk in JUNK]
    for key in params:
        for junk in JUNK:
            if "<int:" in route and not junk.isdigit():
                continue  # the converter refuses it: Django's own 404
            bad = fill({**kwargs, key: junk})
            out += [("get", bad, {}), ("post", bad, {})]
    return out


# The walk is split so the suite's processes share it.
SHARDS = 4


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_junk_in_every_parameter_never_answers_500(world, shard):
    # Typed before the date bounds existed: the last day the calendar can hold.
    CredentialFactory(
        staff=world.owner,
        credential_type=CredentialTypeFactory(name="Typo license"),
        expires_on=dt.date(9999, 12, 31),
    )
    roles = [
        ("anonymous", None),
        ("owner", world.owner.user),
        ("supervisor", world.supervisor_a),
        ("HR", world.hr),
        ("admin", world.admin),
    ]
    clients = []
    for label, user in roles:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients.append((label, client))
    probes = [clients[1][1], clients[4][1]]
    errors: list[str] = []

    def remember(sender, request=None, **kwargs):
        import sys

        exc = sys.exc_info()[1]
        errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")

    got_request_exception.connect(remember, weak=False)
    failures: list[str] = []
    requests = 0
    for index, (route, name, _callback) in enumerate(walked_patterns()):
        if index % SHARDS != shard:
            continue
        if "/" + route == "/healthz":
            continue  # answers 503 by design when the broker is absent
        for n, (method, path, query) in enumerate(urls_for(route, name, world, probes)):
            # Junk in a path goes to every role (mostly cheap 404s); junk in a
            # query parameter to one role in turn, so each role meets every
            # page's junk and the walk stays quick.
            targets = [clients[n % len(clients)]] if query else clients
            for label, client in targets:
                requests += 1
                response = getattr(client, method)(path, query)
                body_of(response)
                if response.status_code >= 500:
                    value = str(next(iter(query.values()), ""))[:20]
                    failures.append(
                        f"{response.status_code} {method.upper()} {path[:60]} "
                        f"{'(query ' + repr(value) + ')' if query else ''} as "
                        f"{label}: {errors[-1] if errors else ''}"
                    )
    got_request_exception.disconnect(remember)
    assert requests > 300 // SHARDS
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(
        sorted(set(failures))[:80]
    )


@pytest.mark.slow
def test_rows_planted_in_the_database_keep_every_page_up_for_every_role(world):
    """Rows no form accepts, written straight to the database (an old database, a
    data fix): credentials dated at the calendar's ends, names with control
    characters, a document whose file is gone. Every read then refreshes them."""
    from django.core.files.storage import storages

    from credentials.models import Credential
    from portal.models import User
    from readiness.models import PersonReadiness
    from tests.credentials.factories import CredentialRequirementFactory

    planted = CredentialTypeFactory(name="Planted license")
    CredentialRequirementFactory(job_role=world.owner.job_role, credential_type=planted)
    CredentialRequirementFactory(
        job_role=world.colleague.job_role, credential_type=planted
    )
    for staff, day in ((world.owner, dt.date.max), (world.colleague, dt.date.min)):
        credential = CredentialFactory(staff=staff, credential_type=planted)
        Credential.objects.filter(pk=credential.pk).update(
            issued_on=min(day, credential.issued_on), expires_on=day
        )
    User.objects.filter(pk=world.colleague.user_id).update(
        first_name="Line\nBreak\x07", last_name="Right\u202eLeft\x1b"
    )
    storages["private"].delete(world.document.file)
    PersonReadiness.objects.update(stale=True)

    roles = [
        ("anonymous", None),
        ("owner", world.owner.user),
        ("colleague", world.colleague.user),
        ("supervisor", world.supervisor_a),
        ("other supervisor", world.supervisor_b),
        ("HR", world.hr),
        ("admin", world.admin),
    ]
    failures: list[str] = []
    for label, user in roles:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for route, name, _callback in walked_patterns():
            if "/" + route == "/healthz":
                continue
            params = re.findall(r"<(?:\w+:)?(\w+)>", route)
            kwargs = PARAM_FACTORIES[name](world) if params else {}
            path = "/" + route
            for key in params:
                path = re.sub(rf"<(?:\w+:)?{key}>", str(kwargs[key]), path)
            response = client.get(path)
            body_of(response)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {path} as {label}")
    assert not failures, "\n".join(failures)
