"""SCIM 2.0 (RFC 7643/7644) Users mapped onto Milieu's staff: tokens, the User
resource, and create / replace / deactivate through portal.services, so a person
from the identity system is hired, changed and terminated exactly as HR would."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.dates import agency_today
from portal.models import JobRole, StaffProfile, Team, User
from portal.services import (
    staff_create,
    staff_terminate,
    staff_update,
    user_reactivate,
)

from .models import ScimLink, ScimMapping, ScimToken

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
DEPROVISIONED = "Deprovisioned by the identity provider."
REPROVISIONED = "Reactivated by the identity provider."
TOKEN_PREFIX = "scim_"


class ScimError(Exception):
    """An error answered as SCIM's error JSON (RFC 7644 section 3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scim_token_create(*, name: str, by: User | None = None) -> tuple[ScimToken, str]:
    """Make a token; returns the row and the token itself (shown once, never kept)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ScimToken.objects.create(
        name=name.strip()[:100] or "SCIM",
        token_hash=_hash(token),
        prefix=token[:12],
        created_by=by,
    )
    return row, token


def scim_token_check(*, header: str) -> ScimToken | None:
    """The live token an ``Authorization: Bearer ...`` header carries, or None;
    records when it was last used."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    row = ScimToken.objects.filter(
        token_hash=_hash(token.strip()), revoked_at__isnull=True
    ).first()
    if row is not None:
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ScimToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
    return row


def sso_configured() -> bool:
    return bool(getattr(settings, "SSO_PROVIDERS", None))


# --- The User resource ---------------------------------------------------------------


def _external_id(staff: StaffProfile) -> str:
    link = getattr(staff, "scim_link", None) if hasattr(staff, "scim_link") else None
    return link.external_id if link else ""


def user_resource(staff: StaffProfile, *, base_url: str) -> dict[str, Any]:
    """The SCIM User for ``staff``."""
    user = staff.user
    location = f"{base_url}/Users/{staff.pk}"
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(staff.pk),
        "userName": user.email,
        "name": {"givenName": user.first_name, "familyName": user.last_name},
        "displayName": user.get_full_name() or user.email,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active and not staff.is_terminated_on(agency_today()),
        ENTERPRISE_SCHEMA: {
            "employeeNumber": staff.employee_id,
            "department": staff.team.name if staff.team else "",
            "title": staff.job_role.name,
        },
        "meta": {
            "resourceType": "User",
            "created": staff.created_at.isoformat(),
            "location": location,
        },
    }
    external_id = _external_id(staff)
    if external_id:
        resource["externalId"] = external_id
    return resource


@dataclass
class UserFields:
    """What a SCIM User says about a person, in Milieu's terms."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    external_id: str = ""
    employee_id: str = ""
    title: str = ""
    department: str = ""
    active: bool = True


def _as_bool(value: Any) -> bool:
    # Entra ID sends "True"/"False" as strings in PATCH.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, "active must be true or false.", "invalidValue")


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ScimError(400, f"{name} must be a string.", "invalidValue")
    return str(value).strip()


def fields_from_resource(data: Any) -> UserFields:
    """Read a full User resource (POST, PUT)."""
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a SCIM User object.", "invalidSyntax")
    fields = UserFields()
    fields.email = _text(data.get("userName"), "userName").lower()
    emails = data.get("emails") or []
    if not fields.email and isinstance(emails, list):
        primary = [e for e in emails if isinstance(e, dict) and e.get("primary")]
        chosen = (primary or [e for e in emails if isinstance(e, dict)] or [{}])[0]
        fields.email = _text(chosen.get("value"), "emails.value").lower()
    name = data.get("name") or {}
    if not isinstance(name, dict):
        raise ScimError(400, "name must be an object.", "invalidValue")
    fields.first_name = _text(name.get("givenName"), "name.givenName")
    fields.last_name = _text(name.get("familyName"), "name.familyName")
    fields.external_id = _text(data.get("externalId"), "externalId")
    enterprise = data.get(ENTERPRISE_SCHEMA) or {}
    if not isinstance(enterprise, dict):
        raise ScimError(400, "The enterprise extension must be an object.")
    fields.employee_id = _text(enterprise.get("employeeNumber"), "employeeNumber")
    fields.title = _text(enterprise.get("title") or data.get("title"), "title")
    fields.department = _text(enterprise.get("department"), "department")
    if "active" in data:
        fields.active = _as_bool(data["active"])
    return fields


def fields_from_staff(staff: StaffProfile) -> UserFields:
    user = staff.user
    return UserFields(
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        external_id=_external_id(staff),
        employee_id=staff.employee_id,
        title=staff.job_role.name,
        department=staff.team.name if staff.team else "",
        active=user.is_active and not staff.is_terminated_on(agency_today()),
    )


_PATCH_PATHS = {
    "active": "active",
    "username": "email",
    "externalid": "external_id",
    "name.givenname": "first_name",
    "name.familyname": "last_name",
    'emails[type eq "work"].value': "email",
    "emails.value": "email",
    "title": "title",
    f"{ENTERPRISE_SCHEMA}:employeenumber".lower(): "employee_id",
    f"{ENTERPRISE_SCHEMA}:title".lower(): "title",
    f"{ENTERPRISE_SCHEMA}:department".lower(): "department",
}


def _patch_set(fields: UserFields, path: str, value: Any) -> None:
    key = path.strip().lower()
    if key == ENTERPRISE_SCHEMA.lower() and isinstance(value, dict):
        for sub, sub_value in value.items():
            _patch_set(fields, f"{ENTERPRISE_SCHEMA}:{sub}", sub_value)
        return
    if key == "name" and isinstance(value, dict):
        for sub, sub_value in value.items():
            _patch_set(fields, f"name.{sub}", sub_value)
        return
    if key == "emails" and isinstance(value, list):
        full = fields_from_resource({"emails": value})
        fields.email = full.email or fields.email
        return
    attr = _PATCH_PATHS.get(key)
    if attr is None:
        raise ScimError(400, f"The attribute {path!r} cannot be changed.", "noTarget")
    if attr == "active":
        fields.active = _as_bool(value)
    else:
        text = _text(value, path)
        setattr(fields, attr, text.lower() if attr == "email" else text)


def fields_patched(staff: StaffProfile, data: Any) -> UserFields:
    """Apply a PatchOp (RFC 7644 section 3.5.2) to the person's current fields."""
    if not isinstance(data, dict) or PATCH_SCHEMA not in (data.get("schemas") or []):
        raise ScimError(400, "The body must be a SCIM PatchOp.", "invalidSyntax")
    operations = data.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "Operations must be a non-empty list.", "invalidSyntax")
    fields = fields_from_staff(staff)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        path = operation.get("path")
        value = operation.get("value")
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown operation {op!r}.", "invalidSyntax")
        if op == "remove":
            value = "" if path != "active" else False
        if path:
            _patch_set(fields, str(path), value)
        elif isinstance(value, dict):
            for attr, attr_value in value.items():
                _patch_set(fields, str(attr), attr_value)
        else:
            raise ScimError(400, "An operation without a path needs an object value.")
    return fields


# --- Writes --------------------------------------------------------------------------


def _job_role(title: str) -> JobRole:
    if not title:
        raise ScimError(
            400,
            "title (the enterprise extension's or the core one) is required: it "
            "names the person's job role in Milieu.",
            "invalidValue",
        )
    mapped = ScimMapping.objects.filter(
        kind=ScimMapping.Kind.TITLE, value__iexact=title, job_role__isnull=False
    ).first()
    if mapped is not None:
        return mapped.job_role  # type: ignore[return-value]
    role = JobRole.objects.filter(Q(name__iexact=title) | Q(code__iexact=title)).first()
    if role is None:
        raise ScimError(
            400,
            f"No job role in Milieu is named {title!r}: map the title to a job "
            "role (Provisioning → SCIM value mappings), or name one so.",
            "invalidValue",
        )
    return role


def _team(department: str) -> Team | None:
    if not department:
        return None
    mapped = ScimMapping.objects.filter(
        kind=ScimMapping.Kind.DEPARTMENT, value__iexact=department, team__isnull=False
    ).first()
    if mapped is not None:
        return mapped.team
    teams = list(Team.objects.filter(name__iexact=department)[:2])
    if len(teams) != 1:
        raise ScimError(
            400,
            f"No single team in Milieu is named {department!r}: map the "
            "department to a team (Provisioning → SCIM value mappings).",
            "invalidValue",
        )
    return teams[0]


def _validation_detail(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(
            f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
        )
    return " ".join(error.messages)


def _link_set(staff: StaffProfile, external_id: str) -> None:
    ScimLink.objects.update_or_create(
        staff=staff, defaults={"external_id": external_id}
    )


@transaction.atomic
def scim_user_create(*, fields: UserFields) -> StaffProfile:
    """Hire the person the identity system sends, as HR's form would (orientation
    assigned); no invitation email when people sign in with SSO."""
    if not fields.email:
        raise ScimError(400, "userName (the work email) is required.", "invalidValue")
    if User.objects.filter(email__iexact=fields.email).exists():
        raise ScimError(409, "Someone already has this userName.", "uniqueness")
    employee_id = fields.employee_id or fields.external_id
    if not employee_id:
        raise ScimError(
            400,
            "employeeNumber (the enterprise extension's) or externalId is required: "
            "it becomes the employee id.",
            "invalidValue",
        )
    job_role, team = _job_role(fields.title), _team(fields.department)
    try:
        staff = staff_create(
            email=fields.email,
            first_name=fields.first_name,
            last_name=fields.last_name,
            employee_id=employee_id,
            job_role=job_role,
            team=team,
            hire_date=agency_today(),
            invite=not sso_configured(),
        )
    except ValidationError as error:
        scim_type = "uniqueness" if "already" in str(error) else "invalidValue"
        status = 409 if scim_type == "uniqueness" else 400
        raise ScimError(status, _validation_detail(error), scim_type) from error
    _link_set(staff, fields.external_id)
    if not fields.active:
        staff = staff_terminate(
            staff=staff, on=agency_today(), by=None, reason=DEPROVISIONED
        )
    return staff


@transaction.atomic
def scim_user_apply(*, staff: StaffProfile, fields: UserFields) -> StaffProfile:
    """Make ``staff`` what the identity system says (PUT or PATCH): all or nothing."""
    staff = StaffProfile.objects.select_related("user", "job_role", "team").get(
        pk=staff.pk
    )
    user = staff.user
    if not fields.email:
        raise ScimError(400, "userName (the work email) is required.", "invalidValue")
    if (
        fields.email != user.email
        and User.objects.filter(email__iexact=fields.email).exclude(pk=user.pk).exists()
    ):
        raise ScimError(409, "Someone already has this userName.", "uniqueness")
    job_role = _job_role(fields.title) if fields.title else staff.job_role
    team = _team(fields.department) if fields.department else staff.team
    employee_id = fields.employee_id or staff.employee_id
    try:
        changed_user = [
            name
            for name, value in (
                ("email", fields.email),
                ("first_name", fields.first_name),
                ("last_name", fields.last_name),
            )
            if getattr(user, name) != value
        ]
        for name in changed_user:
            setattr(user, name, getattr(fields, name))
        if changed_user:
            user.full_clean(exclude=["password"])
            user.save(update_fields=changed_user)
        was_active = fields_from_staff(staff).active
        if fields.active and not was_active:
            staff = staff_update(
                staff=staff,
                status=StaffProfile.Status.ACTIVE,
                termination_date=None,
            )
        staff = staff_update(
            staff=staff, job_role=job_role, team=team, employee_id=employee_id
        )
        if fields.active and not staff.user.is_active:
            user_reactivate(user=staff.user, by=None, reason=REPROVISIONED)
        elif not fields.active and was_active:
            staff = staff_terminate(
                staff=staff, on=agency_today(), by=None, reason=DEPROVISIONED
            )
    except ValidationError as error:
        raise ScimError(400, _validation_detail(error), "invalidValue") from error
    _link_set(staff, fields.external_id)
    return staff


def scim_user_deactivate(*, staff: StaffProfile) -> StaffProfile:
    """DELETE: a termination today, never a deletion; records are kept."""
    if staff.is_terminated_on(agency_today()) and not staff.user.is_active:
        return staff
    return staff_terminate(
        staff=staff, on=agency_today(), by=None, reason=DEPROVISIONED
    )


# --- Reads ---------------------------------------------------------------------------

_FILTER = re.compile(
    r'^\s*(?P<attr>userName|externalId|emails\.value|emails)\s+eq\s+"(?P<value>(?:[^"\\]|\\.)*)"\s*$',
    re.IGNORECASE,
)


def scim_users(*, filter_text: str = "") -> QuerySet[StaffProfile]:
    """Everyone the identity system may see, filtered by ``userName eq``,
    ``externalId eq`` or ``emails.value eq`` (the filters provisioning clients use)."""
    people = StaffProfile.objects.select_related(
        "user", "job_role", "team", "scim_link"
    ).order_by("pk")
    if not filter_text:
        return people
    match = _FILTER.match(filter_text)
    if match is None:
        raise ScimError(
            400,
            'Supported filters: userName eq "...", externalId eq "...", '
            'emails.value eq "...".',
            "invalidFilter",
        )
    attr = match["attr"].lower()
    value = re.sub(r"\\(.)", r"\1", match["value"])
    if attr == "externalid":
        return people.filter(scim_link__external_id=value)
    return people.filter(user__email__iexact=value)
