"""Demo credentials: the types, each job role's requirements, and a realistic mix
of staff credentials (most current, some expiring, a few expired or pending, the
new hire missing CPR). Idempotent and additive: nothing is added twice, and only
the demo's own people get credentials."""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zlib

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.demo import demo_staff
from portal.models import JobRole, User

from .models import Credential, CredentialRequirement, CredentialType
from .services import credential_create, credential_verify

TYPES = [
    # code, name, category, months, number, state, document, issuing bodies, CE
    # fmt: off
    (
        "cpr",
        "CPR / First Aid",
        "certification",
        24,
        True,
        False,
        "American Heart Association\nAmerican Red Cross",
        None,
    ),
    (
        "cpi",
        "CPI Nonviolent Crisis Intervention",
        "certification",
        12,
        False,
        False,
        "Crisis Prevention Institute",
        None,
    ),
    ("cadc", "CADC", "licence", 24, True, True, "State Certification Board", 40),
    (
        "lcsw",
        "LCSW licence",
        "licence",
        24,
        True,
        True,
        "State Board of Social Work",
        30,
    ),
    (
        "lpc",
        "LPC licence",
        "licence",
        24,
        True,
        True,
        "State Board of Professional Counselors",
        30,
    ),
    (
        "lpc-associate",
        "LPC-Associate licence",
        "licence",
        24,
        True,
        True,
        "State Board of Professional Counselors",
        20,
    ),
    (
        "drivers-licence",
        "Driver's licence",
        "licence",
        48,
        True,
        True,
        "State Department of Motor Vehicles",
        None,
    ),
    (
        "tb-test",
        "TB test",
        "clearance",
        12,
        False,
        False,
        "County Health Department",
        None,
    ),
    (
        "clearances",
        "Child-abuse and background clearances",
        "clearance",
        60,
        True,
        False,
        "State Police\nDepartment of Human Services\nFBI",
        None,
    ),
]

# job role code -> [(type code, before first shift, due within days)]
REQUIREMENTS = {
    "treatment-technician": [
        ("cpr", True, 0),
        ("cpi", True, 0),
        ("drivers-licence", False, 14),
        ("tb-test", False, 30),
    ],
    "therapeutic-support-specialist": [
        ("cpr", True, 0),
        ("cpi", True, 0),
        ("clearances", True, 0),
    ],
    "specialized-tss": [
        ("cpr", True, 0),
        ("cpi", True, 0),
        ("clearances", True, 0),
    ],
    "treatment-specialist": [
        ("cpr", False, 30),
        ("cadc", False, 90),
        ("drivers-licence", False, 30),
    ],
    "behavioral-health-professional": [("cpr", False, 30), ("lcsw", False, 30)],
}


def _png() -> bytes:
    """A small grey PNG standing in for a scanned card."""
    width, height = 64, 40
    raw = b"".join(b"\x00" + b"\xc8" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf(text: str) -> bytes:
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\n".encode()
        + f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _upload(name: str, data: bytes) -> ContentFile:
    return ContentFile(data, name=name)


def seed_types() -> dict[str, CredentialType]:
    types = {}
    for code, name, category, months, number, state, bodies, ce in TYPES:
        types[code], _ = CredentialType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "validity_months": months,
                "has_number": number,
                "has_state": state,
                "issuing_bodies": bodies,
                "ce_hours_required": ce,
                "requires_document": True,
            },
        )
    return types


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    types = seed_types()
    roles = {r.code: r for r in JobRole.objects.filter(code__in=REQUIREMENTS)}
    for role_code, reqs in REQUIREMENTS.items():
        role = roles.get(role_code)
        if role is None:
            continue
        for type_code, before, days in reqs:
            CredentialRequirement.objects.get_or_create(
                job_role=role,
                credential_type=types[type_code],
                defaults={"before_first_shift": before, "due_within_days": days},
            )
    if Credential.objects.filter(staff__in=demo_staff()).exists():
        return  # the demo people's credentials were seeded already
    hr = (
        User.objects.filter(groups__name="HR", email__iendswith="@demo.milieu.local")
        .order_by("pk")
        .first()
    )
    rng = random.Random(4242)
    staff_list = list(
        demo_staff().select_related("user", "job_role").order_by("employee_id")
    )
    req_map = {
        role_code: [types[code] for code, _, _ in reqs]
        for role_code, reqs in REQUIREMENTS.items()
    }
    png, now = _png(), timezone.now()
    n = 0
    for staff in staff_list:
        for ctype in req_map.get(staff.job_role.code, []):
            if staff.user.email.startswith("newhire@") and ctype.code == "cpr":
                continue  # the demo's new hire is missing CPR
            n += 1
            # A realistic mix: most current, some expiring in 90/30/7 days,
            # a few expired, every ninth pending verification.
            roll = n % 23
            if roll == 0:
                expires = today - dt.timedelta(days=rng.randint(3, 40))
            elif roll in (1, 2):
                expires = today + dt.timedelta(days=rng.randint(31, 89))
            elif roll == 3:
                expires = today + dt.timedelta(days=rng.randint(8, 29))
            elif roll == 4:
                expires = today + dt.timedelta(days=rng.randint(1, 6))
            else:
                expires = today + dt.timedelta(
                    days=rng.randint(120, (ctype.validity_months or 24) * 30)
                )
            issued = expires - relativedelta(months=ctype.validity_months or 24)
            issued = min(issued, today)
            pending = n % 9 == 0
            doc = (
                _upload(f"{ctype.code}-card.png", png)
                if n % 2
                else _upload(
                    f"{ctype.code}.pdf",
                    _pdf(f"{ctype.name} - {staff.full_name}"),
                )
            )
            cred = credential_create(
                staff=staff,
                credential_type=ctype,
                by=staff.user,
                number=f"{ctype.code.upper()[:3]}-{rng.randint(100000, 999999)}"
                if ctype.has_number
                else "",
                issuing_body=(ctype.issuing_body_choices or [""])[0],
                state="PA" if ctype.has_state else "",
                issued_on=issued,
                expires_on=expires,
                documents=[doc],
            )
            Credential.objects.filter(pk=cred.pk).update(
                created_at=now - dt.timedelta(hours=n)
            )
            if not pending and hr is not None:
                credential_verify(
                    credential=cred,
                    by=hr,
                    notify=False,
                    primary_source_note="Card checked against the issuer's lookup"
                    if ctype.category == "licence"
                    else "",
                )
    if stdout is not None:
        stdout.write(f"Credentials: {len(types)} types, {n} staff credentials.")
