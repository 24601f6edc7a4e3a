"""The SCIM 2.0 endpoints at /scim/v2/: the identity system's door, with its own
bearer token. A browser session (any role's) is no key here: every call without
a live SCIM token answers 401 and nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from portal.audit import audit_access
from portal.models import StaffProfile
from portal.permissions import public

from . import services
from .models import ScimToken
from .services import ScimError

CONTENT_TYPE = "application/scim+json"
MAX_PAGE = 200


def _json(body: dict[str, Any], status: int = 200, **headers: str) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name] = value
    return response


def _error(error: ScimError) -> JsonResponse:
    return _json(error.body(), status=error.status)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _rate_limited(token: ScimToken) -> bool:
    limit = settings.SCIM_RATE_LIMIT_PER_MINUTE
    if not limit:
        return False
    key = f"scim-rate:{token.pk}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > limit


View = Callable[..., HttpResponse]


def scim_view(view: View) -> View:
    """A SCIM endpoint: a live token or 401; rate-limited; every call audited;
    errors as SCIM error JSON."""

    @csrf_exempt
    @public
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = services.scim_token_check(
            header=request.headers.get("Authorization", "")
        )
        if token is None:
            response = HttpResponse(status=401)
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        request.scim_token = token  # type: ignore[attr-defined]
        if _rate_limited(token):
            return _error(ScimError(429, "Too many requests; slow down.", "tooMany"))
        audit_access(
            actor=None,
            obj_or_model=token,
            what=f"SCIM {request.method} {request.path[:200]} with token {token}",
        )
        try:
            return view(request, *args, **kwargs)
        except ScimError as error:
            return _error(error)

    wrapped.milieu_rule = "a SCIM bearer token"  # type: ignore[attr-defined]
    return wrapped


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise ScimError(400, "The body is not valid JSON.", "invalidSyntax") from error


def _positive_int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ScimError(400, f"{name} must be a number.", "invalidValue") from error
    return value


def _staff_or_404(pk: str) -> StaffProfile:
    staff = None
    if pk.isdigit() and len(pk) < 19:
        staff = (
            services.scim_users().filter(pk=int(pk)).first()
        )  # one row, with its user, role, team and link
    if staff is None:
        raise ScimError(404, f"No User with id {pk[:50]!r}.")
    return staff


def _user_response(
    request: HttpRequest, staff: StaffProfile, status: int = 200
) -> JsonResponse:
    staff = _staff_or_404(str(staff.pk)) if status == 201 else staff
    resource = services.user_resource(staff, base_url=_base_url(request))
    headers = {"Location": resource["meta"]["location"]} if status == 201 else {}
    return _json(resource, status=status, **headers)


@scim_view
def users(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        start = max(_positive_int(request, "startIndex", 1), 1)
        count = min(max(_positive_int(request, "count", 100), 0), MAX_PAGE)
        people = services.scim_users(filter_text=request.GET.get("filter", ""))
        total = people.count()
        page = list(people[start - 1 : start - 1 + count]) if count else []
        base = _base_url(request)
        return _json(
            {
                "schemas": [services.LIST_SCHEMA],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(page),
                "Resources": [services.user_resource(s, base_url=base) for s in page],
            }
        )
    if request.method == "POST":
        fields = services.fields_from_resource(_body(request))
        staff = services.scim_user_create(fields=fields)
        return _user_response(request, staff, status=201)
    raise ScimError(405, "Use GET or POST here.")


@scim_view
def user_detail(request: HttpRequest, pk: str) -> HttpResponse:
    staff = _staff_or_404(pk)
    if request.method == "GET":
        return _user_response(request, staff)
    if request.method == "PUT":
        fields = services.fields_from_resource(_body(request))
        staff = services.scim_user_apply(staff=staff, fields=fields)
        return _user_response(request, _staff_or_404(pk))
    if request.method == "PATCH":
        fields = services.fields_patched(staff, _body(request))
        staff = services.scim_user_apply(staff=staff, fields=fields)
        return _user_response(request, _staff_or_404(pk))
    if request.method == "DELETE":
        services.scim_user_deactivate(staff=staff)
        return HttpResponse(status=204)
    raise ScimError(405, "Use GET, PUT, PATCH or DELETE here.")


def _read_only(request: HttpRequest) -> None:
    """The discovery endpoints only answer GET (RFC 7644 section 4)."""
    if request.method not in ("GET", "HEAD"):
        raise ScimError(405, "Use GET here.")


@scim_view
def service_provider_config(request: HttpRequest) -> HttpResponse:
    _read_only(request)
    return _json(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://example.org/milieu/README#scim",
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_PAGE},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A token an administrator makes in Milieu.",
                    "primary": True,
                }
            ],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": f"{_base_url(request)}/ServiceProviderConfig",
            },
        }
    )


def _resource_type(request: HttpRequest) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "schema": services.USER_SCHEMA,
        "schemaExtensions": [{"schema": services.ENTERPRISE_SCHEMA, "required": False}],
        "meta": {
            "resourceType": "ResourceType",
            "location": f"{_base_url(request)}/ResourceTypes/User",
        },
    }


def _attribute(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "string",
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        **extra,
    }


def _schemas(request: HttpRequest) -> list[dict[str, Any]]:
    base = _base_url(request)
    user_attributes = [
        _attribute("userName", required=True, uniqueness="server"),
        _attribute(
            "name",
            type="complex",
            subAttributes=[_attribute("givenName"), _attribute("familyName")],
        ),
        _attribute("displayName", mutability="readOnly"),
        _attribute(
            "emails",
            type="complex",
            multiValued=True,
            subAttributes=[
                _attribute("value"),
                _attribute("type"),
                _attribute("primary", type="boolean"),
            ],
        ),
        _attribute("active", type="boolean"),
    ]
    return [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": services.USER_SCHEMA,
            "name": "User",
            "description": "A member of staff.",
            "attributes": user_attributes,
            "meta": {
                "resourceType": "Schema",
                "location": f"{base}/Schemas/{services.USER_SCHEMA}",
            },
        },
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": services.ENTERPRISE_SCHEMA,
            "name": "EnterpriseUser",
            "description": "Employee number, title (job role), department (team).",
            "attributes": [
                _attribute("employeeNumber"),
                _attribute("title"),
                _attribute("department"),
            ],
            "meta": {
                "resourceType": "Schema",
                "location": f"{base}/Schemas/{services.ENTERPRISE_SCHEMA}",
            },
        },
    ]


def _list(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [services.LIST_SCHEMA],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


@scim_view
def resource_types(request: HttpRequest, name: str = "") -> HttpResponse:
    _read_only(request)
    if not name:
        return _json(_list([_resource_type(request)]))
    if name != "User":
        raise ScimError(404, f"No resource type {name[:50]!r}.")
    return _json(_resource_type(request))


@scim_view
def schemas(request: HttpRequest, schema_id: str = "") -> HttpResponse:
    _read_only(request)
    found = _schemas(request)
    if not schema_id:
        return _json(_list(found))
    for schema in found:
        if schema["id"] == schema_id:
            return _json(schema)
    raise ScimError(404, f"No schema {schema_id[:100]!r}.")


@scim_view
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /scim/v2/: SCIM's 404 error, for a token holder."""
    raise ScimError(404, "No such SCIM endpoint.")
