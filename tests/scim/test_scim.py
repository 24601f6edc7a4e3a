"""SCIM 2.0 provisioning at /scim/v2/: the identity system hires, changes and
ends people through the same services as HR, with its own bearer token."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client

from portal.models import AccessChange, Invitation, StaffProfile
from portal.roles import Role
from portal.signals import staff_job_role_assigned
from scim.models import ScimToken
from scim.services import (
    DEPROVISIONED,
    ENTERPRISE_SCHEMA,
    PATCH_SCHEMA,
    scim_token_create,
)
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 10)
CT = "application/scim+json"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=NY), tick=False):
        yield


@pytest.fixture
def token() -> str:
    return scim_token_create(name="Entra ID")[1]


@pytest.fixture
def api(token) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def org():
    return {
        "role": JobRoleFactory(name="Behavioral Health Technician", code="bht"),
        "team": TeamFactory(name="North Residential"),
    }


def new_user(**overrides) -> dict:
    body = {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            ENTERPRISE_SCHEMA,
        ],
        "userName": "ana.lima@example.org",
        "externalId": "entra-0001",
        "name": {"givenName": "Ana", "familyName": "Lima"},
        "emails": [{"value": "ana.lima@example.org", "primary": True}],
        "active": True,
        ENTERPRISE_SCHEMA: {
            "employeeNumber": "E-100",
            "title": "Behavioral Health Technician",
            "department": "North Residential",
        },
    }
    body.update(overrides)
    return body


def post(api, path, body, method="post"):
    return getattr(api, method)(
        path,
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type=CT,
    )


def test_create_hires_the_person_with_orientation_and_no_password(
    api, org, django_capture_on_commit_callbacks
):
    assigned = []

    def listener(sender, staff, **kwargs):
        assigned.append(staff.employee_id)

    staff_job_role_assigned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post(api, "/scim/v2/Users", new_user())
    finally:
        staff_job_role_assigned.disconnect(listener)
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == CT
    body = response.json()
    staff = StaffProfile.objects.get(employee_id="E-100")
    assert body["id"] == str(staff.pk)
    assert response["Location"].endswith(f"/scim/v2/Users/{staff.pk}")
    assert body["externalId"] == "entra-0001" and body["active"] is True
    assert staff.user.get_full_name() == "Ana Lima"
    assert staff.job_role == org["role"] and staff.team == org["team"]
    assert staff.hire_date == TODAY
    assert not staff.user.has_usable_password()
    assert assigned == ["E-100"]
    # No SSO configured here: the person sets a password from an invitation.
    assert Invitation.objects.filter(user=staff.user).exists()


def test_create_sends_no_invitation_when_sso_is_configured(api, org, settings):
    settings.SSO_PROVIDERS = {"entra": {"label": "Entra ID", "mfa_acr": []}}
    assert post(api, "/scim/v2/Users", new_user()).status_code == 201
    assert not Invitation.objects.filter(user__email="ana.lima@example.org").exists()


def test_get_and_filter_and_paginate(api, org):
    post(api, "/scim/v2/Users", new_user())
    StaffProfileFactory.create_batch(3)
    staff = StaffProfile.objects.get(employee_id="E-100")
    got = api.get(f"/scim/v2/Users/{staff.pk}").json()
    assert got["userName"] == "ana.lima@example.org"
    assert got[ENTERPRISE_SCHEMA]["department"] == "North Residential"
    for flt in (
        'userName eq "Ana.Lima@example.org"',
        'externalId eq "entra-0001"',
        'emails.value eq "ana.lima@example.org"',
    ):
        found = api.get("/scim/v2/Users", {"filter": flt}).json()
        assert found["totalResults"] == 1, flt
        assert found["Resources"][0]["id"] == str(staff.pk)
    nobody = api.get("/scim/v2/Users", {"filter": 'userName eq "nobody@x.org"'})
    assert nobody.json()["totalResults"] == 0 and nobody.json()["Resources"] == []
    page = api.get("/scim/v2/Users", {"startIndex": 2, "count": 2}).json()
    assert page["totalResults"] == 4
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 2
    everyone = [r["id"] for r in api.get("/scim/v2/Users").json()["Resources"]]
    assert [r["id"] for r in page["Resources"]] == everyone[1:3]


def test_patch_active_false_terminates_through_the_service(api, org):
    post(api, "/scim/v2/Users", new_user())
    staff = StaffProfile.objects.get(employee_id="E-100")
    client = Client()
    client.force_login(staff.user)
    patch = {
        "schemas": [PATCH_SCHEMA],
        # Entra ID's own shape: a capitalized op and a string boolean.
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    response = post(api, f"/scim/v2/Users/{staff.pk}", patch, method="patch")
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    staff.refresh_from_db()
    assert staff.status == StaffProfile.Status.TERMINATED
    assert staff.termination_date == TODAY
    assert not staff.user.is_active
    change = AccessChange.objects.get(user=staff.user)
    assert change.reason == DEPROVISIONED
    # Their session ended at once.
    assert client.get("/").status_code == 302


def test_patch_changes_names_and_team_and_reactivation_is_recorded(api, org):
    post(api, "/scim/v2/Users", new_user(active=False))
    staff = StaffProfile.objects.get(employee_id="E-100")
    assert not staff.user.is_active
    other = TeamFactory(name="South Outpatient")
    patch = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "replace", "path": "name.familyName", "value": "Lima-Souza"},
            {"op": "replace", "value": {"active": True}},
            {
                "op": "replace",
                "path": f"{ENTERPRISE_SCHEMA}:department",
                "value": "South Outpatient",
            },
        ],
    }
    response = post(api, f"/scim/v2/Users/{staff.pk}", patch, method="patch")
    assert response.status_code == 200, response.content
    staff.refresh_from_db()
    assert staff.user.last_name == "Lima-Souza" and staff.team == other
    assert staff.user.is_active and staff.status == StaffProfile.Status.ACTIVE
    assert staff.termination_date is None
    actions = AccessChange.objects.filter(user=staff.user).values_list("action")
    assert sorted(a for (a,) in actions) == sorted(
        [AccessChange.Action.TERMINATED, AccessChange.Action.REACTIVATED]
    )


def test_delete_deactivates_and_keeps_the_records(api, org):
    post(api, "/scim/v2/Users", new_user())
    staff = StaffProfile.objects.get(employee_id="E-100")
    response = api.delete(f"/scim/v2/Users/{staff.pk}")
    assert response.status_code == 204
    staff.refresh_from_db()
    assert staff.status == StaffProfile.Status.TERMINATED
    assert not staff.user.is_active
    # Still there, and still answered (inactive), never deleted.
    got = api.get(f"/scim/v2/Users/{staff.pk}")
    assert got.status_code == 200 and got.json()["active"] is False
    assert api.delete(f"/scim/v2/Users/{staff.pk}").status_code == 204
    assert AccessChange.objects.filter(user=staff.user).count() == 1


def test_put_replaces_and_an_unknown_title_changes_nothing(api, org):
    post(api, "/scim/v2/Users", new_user())
    staff = StaffProfile.objects.get(employee_id="E-100")
    replaced = new_user(name={"givenName": "Anna", "familyName": "Lima"})
    response = post(api, f"/scim/v2/Users/{staff.pk}", replaced, method="put")
    assert response.status_code == 200
    assert response.json()["name"]["givenName"] == "Anna"
    bad = new_user(name={"givenName": "Zed", "familyName": "Lima"})
    bad[ENTERPRISE_SCHEMA] = {**bad[ENTERPRISE_SCHEMA], "title": "Astronaut"}
    response = post(api, f"/scim/v2/Users/{staff.pk}", bad, method="put")
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert "Astronaut" in response.json()["detail"]
    staff.refresh_from_db()
    assert staff.user.first_name == "Anna"


def test_duplicate_user_name_is_a_conflict(api, org):
    assert post(api, "/scim/v2/Users", new_user()).status_code == 201
    again = post(api, "/scim/v2/Users", new_user(externalId="entra-0002"))
    assert again.status_code == 409
    assert again.json()["scimType"] == "uniqueness"


@pytest.mark.parametrize(
    "header",
    ["", "Bearer wrong", "Bearer scim_wrong", "Basic c2NpbTpzY2lt", "Bearer "],
)
def test_a_wrong_token_answers_401_and_nothing_else(org, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    for path in ("/scim/v2/Users", "/scim/v2/ServiceProviderConfig"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.content == b""
    assert post(client, "/scim/v2/Users", new_user()).status_code == 401
    assert not StaffProfile.objects.exists()


def test_a_revoked_token_answers_401(api, token):
    ScimToken.objects.update(revoked_at=dt.datetime(2026, 3, 10, 11, tzinfo=NY))
    assert api.get("/scim/v2/Users").status_code == 401


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HR, Role.STAFF])
def test_a_signed_in_session_is_no_key(client, org, role):
    client.force_login(UserFactory(roles=[role], is_superuser=role == Role.ADMIN))
    assert client.get("/scim/v2/Users").status_code == 401


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ("{not json", "invalidSyntax"),
        ("[1, 2]", "invalidSyntax"),
        (json.dumps({"userName": "x@example.org", "active": "maybe"}), "invalidValue"),
        (json.dumps({"userName": "x@example.org"}), "invalidValue"),
    ],
)
def test_bad_bodies_answer_400_with_a_scim_error(api, org, body, scim_type):
    response = post(api, "/scim/v2/Users", body)
    assert response.status_code == 400
    error = response.json()
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert error["status"] == "400" and error["scimType"] == scim_type
    assert error["detail"]
    assert not StaffProfile.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/scim/v2/Users?filter=name+co+%22x%22",
        "/scim/v2/Users?startIndex=abc",
        "/scim/v2/Users?count=x" + "9" * 40,
        "/scim/v2/Users/abc",
        "/scim/v2/Users/" + "9" * 30,
        "/scim/v2/Users/-1",
        "/scim/v2/ResourceTypes/Group",
        "/scim/v2/Schemas/urn:nope",
    ],
)
def test_junk_answers_a_scim_error_never_500(api, path):
    response = api.get(path)
    assert response.status_code in (400, 404)
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_discovery_endpoints(api):
    config = api.get("/scim/v2/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"]["supported"] is True
    types = api.get("/scim/v2/ResourceTypes").json()
    assert [t["id"] for t in types["Resources"]] == ["User"]
    schemas = api.get("/scim/v2/Schemas").json()
    ids = {s["id"] for s in schemas["Resources"]}
    assert ENTERPRISE_SCHEMA in ids
    one = api.get(f"/scim/v2/Schemas/{ENTERPRISE_SCHEMA}")
    assert one.status_code == 200


def test_every_call_is_audited_and_the_token_records_its_use(api, org):
    api.get("/scim/v2/Users")
    row = ScimToken.objects.get()
    assert row.last_used_at is not None
    entry = LogEntry.objects.filter(changes_text__startswith="SCIM GET").get()
    assert "/scim/v2/Users" in entry.changes_text and "Entra ID" in entry.changes_text


def test_calls_past_the_rate_limit_answer_429(api, settings):
    settings.SCIM_RATE_LIMIT_PER_MINUTE = 2
    assert api.get("/scim/v2/Users").status_code == 200
    assert api.get("/scim/v2/Users").status_code == 200
    response = api.get("/scim/v2/Users")
    assert response.status_code == 429 and response.json()["status"] == "429"


def test_the_command_prints_the_token_last_and_stores_only_its_hash(capsys):
    call_command("create_scim_token", "Okta")
    token = capsys.readouterr().out.split()[-1]
    row = ScimToken.objects.get(name="Okta")
    assert token.startswith("scim_") and token not in row.token_hash
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/scim/v2/Users").status_code
        == 200
    )


def test_a_mapped_title_and_department_name_the_job_role_and_team(api, org):
    from scim.models import ScimMapping

    ScimMapping.objects.create(kind="title", value="BHT II", job_role=org["role"])
    ScimMapping.objects.create(kind="department", value="4410", team=org["team"])
    body = new_user()
    body[ENTERPRISE_SCHEMA] = {
        "employeeNumber": "E-200",
        "title": "BHT II",
        "department": "4410",
    }
    response = post(api, "/scim/v2/Users", body)
    assert response.status_code == 201, response.content
    staff = StaffProfile.objects.get(employee_id="E-200")
    assert staff.job_role == org["role"] and staff.team == org["team"]
    unmapped = new_user(userName="ben@example.org", externalId="entra-9")
    unmapped[ENTERPRISE_SCHEMA] = {**body[ENTERPRISE_SCHEMA], "department": "9999"}
    unmapped[ENTERPRISE_SCHEMA]["employeeNumber"] = "E-201"
    refused = post(api, "/scim/v2/Users", unmapped)
    assert refused.status_code == 400 and "9999" in refused.json()["detail"]
    assert not StaffProfile.objects.filter(employee_id="E-201").exists()


@pytest.mark.parametrize("path", ["ServiceProviderConfig", "ResourceTypes", "Schemas"])
def test_the_discovery_endpoints_refuse_writes_with_a_scim_error(api, path):
    response = api.post(f"/scim/v2/{path}", "{}", content_type=CT)
    assert response.status_code == 405
    assert response.json()["status"] == "405"


def test_an_unknown_scim_address_answers_a_scim_404(api, client):
    response = api.get("/scim/v2/Groups")
    assert response.status_code == 404
    assert response.json()["status"] == "404"
    assert client.get("/scim/v2/Groups").status_code == 401  # no token: nothing
