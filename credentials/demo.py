"""Demo credentials: the types (with Pennsylvania's fixed license renewal date),
"any one of" groups, requirements by job role and by program, and a realistic mix
of staff credentials (most current, some expiring, a few expired or pending, the
new hire missing CPR). Additive and idempotent: nothing is added twice, nothing
that exists is changed, and only the demo's own people get credentials."""

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
from portal.models import JobRole, Program, User
from portal.requirements import DueRule, Status

from .models import Credential, CredentialGroup, CredentialRequirement, CredentialType
from .selectors import requirement_statuses
from .services import credential_create, credential_verify

# Pennsylvania's behavioral-health licenses (LSW, LCSW, LPC, LMFT) all expire on
# 28 February of odd years, whenever they were issued.
PA_BIENNIAL = {
    "fixed_expiry_month": 2,
    "fixed_expiry_day": 28,
    "fixed_expiry_years": "odd",
}


def _t(code, name, category, months, number, state, bodies, ce=None, **more):
    return {
        "code": code,
        "name": name,
        "category": category,
        "validity_months": months,
        "has_number": number,
        "has_state": state,
        "issuing_bodies": bodies,
        "ce_hours_required": ce,
        **more,
    }


TYPES = [
    _t(
        "cpr",
        "CPR / First Aid",
        "certification",
        24,
        True,
        False,
        "American Heart Association\nAmerican Red Cross",
    ),
    _t(
        "cpi",
        "CPI Nonviolent Crisis Intervention",
        "certification",
        12,
        False,
        False,
        "Crisis Prevention Institute",
    ),
    _t(
        "safety-care",
        "Safety-Care",
        "certification",
        12,
        False,
        False,
        "Quality Behavioral Solutions (QBS)",
    ),
    _t(
        "pro-act",
        "Pro-ACT",
        "certification",
        12,
        False,
        False,
        "Pro-ACT (Professional Assault Crisis Training)",
    ),
    _t(
        "deescalation-equivalent",
        "Agency-approved de-escalation equivalent",
        "certification",
        12,
        False,
        False,
        "Approved by the agency's training committee",
    ),
    _t(
        "cpi-instructor",
        "CPI Certified Instructor",
        "certification",
        12,
        True,
        False,
        "Crisis Prevention Institute",
    ),
    _t(
        "safety-care-trainer",
        "Safety-Care Trainer",
        "certification",
        12,
        True,
        False,
        "Quality Behavioral Solutions (QBS)",
    ),
    _t(
        "cadc",
        "CADC",
        "licence",
        24,
        True,
        True,
        "Pennsylvania Certification Board",
        40,
    ),
    _t(
        "lsw",
        "LSW license",
        "licence",
        None,
        True,
        True,
        "State Board of Social Workers, Marriage and Family Therapists and "
        "Professional Counselors",
        30,
        **PA_BIENNIAL,
    ),
    _t(
        "lcsw",
        "LCSW license",
        "licence",
        None,
        True,
        True,
        "State Board of Social Workers, Marriage and Family Therapists and "
        "Professional Counselors",
        30,
        **PA_BIENNIAL,
    ),
    _t(
        "lpc",
        "LPC license",
        "licence",
        None,
        True,
        True,
        "State Board of Social Workers, Marriage and Family Therapists and "
        "Professional Counselors",
        30,
        **PA_BIENNIAL,
    ),
    _t(
        "lmft",
        "LMFT license",
        "licence",
        None,
        True,
        True,
        "State Board of Social Workers, Marriage and Family Therapists and "
        "Professional Counselors",
        30,
        **PA_BIENNIAL,
    ),
    _t(
        "lmhc",
        "LMHC license",
        "licence",
        24,
        True,
        True,
        "State Board of Mental Health Counselors",
        30,
    ),
    _t(
        "lpc-associate",
        "LPC-Associate license",
        "licence",
        24,
        True,
        True,
        "State Board of Professional Counselors",
        20,
    ),
    _t(
        "rbt",
        "Registered Behavior Technician (RBT)",
        "certification",
        12,
        True,
        False,
        "Behavior Analyst Certification Board (BACB)",
    ),
    _t(
        "med-admin",
        "Medication administration certification",
        "certification",
        12,
        False,
        False,
        "Department of Human Services approved trainer",
    ),
    _t(
        "drivers-license",
        "Driver's license",
        "licence",
        48,
        True,
        True,
        "State Department of Motor Vehicles",
    ),
    _t(
        "driving-record",
        "Driving record check",
        "clearance",
        12,
        False,
        False,
        "State Department of Motor Vehicles",
        reminder_days="30, 7, 0",
    ),
    # CDC 2019: baseline TB screening at hire; no routine repeat unless the agency
    # or state sets an interval (then give the type a validity).
    _t(
        "tb-test",
        "TB test",
        "clearance",
        None,
        False,
        False,
        "County Health Department\nOccupational health provider",
        has_expiry=False,
    ),
    _t(
        "clearances",
        "Child-abuse and background clearances",
        "clearance",
        60,
        True,
        False,
        "State Police\nDepartment of Human Services\nFBI",
    ),
    # Pennsylvania: all three before starting work with minors, renewed every 60
    # months.
    _t(
        "pa-patch",
        "Pennsylvania State Police criminal history (PATCH)",
        "clearance",
        60,
        True,
        False,
        "Pennsylvania State Police",
    ),
    _t(
        "pa-child-abuse",
        "Pennsylvania child abuse history clearance",
        "clearance",
        60,
        True,
        False,
        "Pennsylvania Department of Human Services",
    ),
    _t(
        "fbi-fingerprint",
        "FBI fingerprint criminal history",
        "clearance",
        60,
        True,
        False,
        "FBI (through the state's fingerprinting vendor)",
    ),
    # Checked by HR every month against the HHS OIG LEIE and the state Medicaid
    # exclusion list; HR records the result with the search printout.
    _t(
        "exclusion-check",
        "OIG and Medicaid exclusion check",
        "clearance",
        1,
        False,
        False,
        "HHS Office of Inspector General (LEIE)\nState Medicaid exclusion list",
        reminder_days="7, 0",
        recorded_by_hr=True,
    ),
]

# Groups: any one member meets a requirement of the group.
GROUPS = {
    "De-escalation certification": (
        "CPI, Safety-Care, Pro-ACT or the agency's approved equivalent.",
        ["cpi", "safety-care", "pro-act", "deescalation-equivalent"],
    ),
    "Clinical license (BHP)": (
        "An independent license (LCSW, LPC, LMFT, LMHC) or an associate license "
        "practicing under supervision.",
        ["lcsw", "lpc", "lmft", "lmhc", "lpc-associate"],
    ),
}

BFS, DAYS, GOAL = DueRule.BEFORE_FIRST_SHIFT, DueRule.WITHIN_DAYS, DueRule.GOAL
PA_CLEARANCES = ["pa-patch", "pa-child-abuse", "fbi-fingerprint"]
MINORS_PROGRAMS = ["Adolescent Residential", "School-Based Services"]
DRIVERS = ["treatment-technician", "treatment-specialist"]

# (job role code or None, program name or None, "type:code" | "group:name", rule,
# days)
REQUIREMENTS = [
    ("treatment-technician", None, "type:cpr", BFS, None),
    ("treatment-technician", None, "group:De-escalation certification", BFS, None),
    ("treatment-technician", None, "type:tb-test", BFS, None),
    ("treatment-technician", None, "type:med-admin", DAYS, 30),
    ("therapeutic-support-specialist", None, "type:cpr", BFS, None),
    (
        "therapeutic-support-specialist",
        None,
        "group:De-escalation certification",
        BFS,
        None,
    ),
    ("specialized-tss", None, "type:cpr", BFS, None),
    ("specialized-tss", None, "group:De-escalation certification", BFS, None),
    ("treatment-specialist", None, "type:cpr", DAYS, 30),
    # A goal for the role (many work toward it for years), not a 90-day deadline.
    ("treatment-specialist", None, "type:cadc", GOAL, None),
    ("behavioral-health-professional", None, "type:cpr", DAYS, 30),
    ("behavioral-health-professional", None, "group:Clinical license (BHP)", DAYS, 30),
    *[(role, None, "type:drivers-license", DAYS, 14) for role in DRIVERS],
    *[(role, None, "type:driving-record", DAYS, 14) for role in DRIVERS],
    *[
        (None, program, f"type:{code}", BFS, None)
        for program in MINORS_PROGRAMS
        for code in PA_CLEARANCES
    ],
    (None, None, "type:exclusion-check", DAYS, 30),
]

INSTRUCTOR_EMAIL = "supervisor1@demo.milieu.local"


def _png() -> bytes:
    """A small gray PNG standing in for a scanned card."""
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
    """The demo's credential types, by code (existing ones are left as they are)."""
    types = {}
    for spec in TYPES:
        defaults = {k: v for k, v in spec.items() if k != "code"}
        defaults.setdefault("requires_document", True)
        types[spec["code"]], _ = CredentialType.objects.get_or_create(
            code=spec["code"], defaults=defaults
        )
    return types


def seed_groups(types: dict[str, CredentialType]) -> dict[str, CredentialGroup]:
    groups = {}
    for name, (description, codes) in GROUPS.items():
        group, created = CredentialGroup.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        if created:
            group.members.set([types[c] for c in codes])
        groups[name] = group
    return groups


def seed_requirements(types, groups) -> None:
    roles = {r.code: r for r in JobRole.objects.all()}
    programs = {p.name: p for p in Program.objects.all()}
    for role_code, program_name, what, rule, days in REQUIREMENTS:
        role = roles.get(role_code) if role_code else None
        program = programs.get(program_name) if program_name else None
        if (role_code and role is None) or (program_name and program is None):
            continue
        kind, _, name = what.partition(":")
        target = (
            {"credential_type": types[name]}
            if kind == "type"
            else {"credential_type": None, "group": groups[name]}
        )
        CredentialRequirement.objects.get_or_create(
            job_role=role,
            program=program,
            site=None,
            **target,
            defaults={"due_rule": rule, "due_within_days": days},
        )


def _dates(ctype: CredentialType, n: int, rng, today) -> tuple:
    """(issued_on, expires_on) for the n-th demo credential: most current, some
    expiring in 90/30/7 days, a few expired."""
    if not ctype.has_expiry:
        return today - dt.timedelta(days=rng.randint(30, 900)), None
    if ctype.fixed_expiry_month:
        issued = today - dt.timedelta(days=rng.randint(30, 700))
        return issued, ctype.expiry_for(issued)
    months = ctype.validity_months or 24
    if months <= 3:  # a monthly check: done in the last few weeks
        issued = today - dt.timedelta(days=rng.randint(0, 24))
        if n % 23 == 0:
            issued = today - dt.timedelta(days=rng.randint(35, 50))
        return issued, ctype.expiry_for(issued)
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
        expires = today + dt.timedelta(days=rng.randint(120, months * 30))
    issued = min(expires - relativedelta(months=months), today)
    return issued, expires


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    """Types, groups, requirements, then a credential for each requirement a demo
    person has never had any record for (so a second run adds nothing)."""
    types = seed_types()
    groups = seed_groups(types)
    seed_requirements(types, groups)
    hr = (
        User.objects.filter(groups__name="HR", email__iendswith="@demo.milieu.local")
        .order_by("pk")
        .first()
    )
    rng = random.Random(4242)
    staff_list = list(
        demo_staff().select_related("user", "job_role").order_by("employee_id")
    )
    ever: set[tuple[int, int]] = set(
        Credential.objects.values_list("staff_id", "credential_type_id")
    )
    rows = {
        (r.staff_id, r.key): r
        for r in requirement_statuses(staff_ids=[s.pk for s in staff_list], as_of=today)
    }
    by_pk = {t.pk: t for t in types.values()}
    png, now = _png(), timezone.now()
    n = 0
    turn: dict[str, int] = {}
    for staff in staff_list:
        mine = sorted(
            (row for (pk, _), row in rows.items() if pk == staff.pk),
            key=lambda r: r.key,
        )
        wanted = []
        for row in mine:
            type_ids = row.extra.get("type_ids", [])
            if any((staff.pk, t) in ever for t in type_ids):
                continue  # something on file (or once on file): leave it be
            if (
                staff.user.email.startswith("newhire@")
                and row.label == "CPR / First Aid"
            ):
                continue  # the demo's new hire is missing CPR
            goal_rng = random.Random(f"{staff.employee_id}:{row.key}")
            if row.status == Status.GOAL and goal_rng.random() < 0.6:
                continue  # most are still working toward a goal (same each run)
            # A group: each person holds a different member, in turn.
            turn[row.key] = turn.get(row.key, -1) + 1
            if type_ids:
                wanted.append(by_pk.get(type_ids[turn[row.key] % len(type_ids)]))
        if staff.user.email == INSTRUCTOR_EMAIL and not any(
            (staff.pk, types[c].pk) in ever
            for c in ("cpi-instructor", "safety-care-trainer")
        ):
            wanted.append(types["cpi-instructor"])  # signs off physical holds
        for ctype in wanted:
            if ctype is None:
                continue
            n += 1
            issued, expires = _dates(ctype, n, rng, today)
            pending = n % 9 == 0 and not ctype.recorded_by_hr
            documents = []
            if ctype.requires_document:
                documents = [
                    _upload(f"{ctype.code}-card.png", png)
                    if n % 2
                    else _upload(
                        f"{ctype.code}.pdf", _pdf(f"{ctype.name} - {staff.full_name}")
                    )
                ]
            by = hr if (ctype.recorded_by_hr and hr is not None) else staff.user
            cred = credential_create(
                staff=staff,
                credential_type=ctype,
                by=by,
                number=f"{ctype.code.upper()[:3]}-{rng.randint(100000, 999999)}"
                if ctype.has_number
                else "",
                issuing_body=(ctype.issuing_body_choices or [""])[0],
                state="PA" if ctype.has_state else "",
                issued_on=issued,
                expires_on=expires,
                documents=documents,
            )
            Credential.objects.filter(pk=cred.pk).update(
                created_at=now - dt.timedelta(hours=n)
            )
            if not pending and hr is not None:
                credential_verify(
                    credential=cred,
                    by=hr,
                    notify=False,
                    primary_source_note="Checked against the issuer's lookup"
                    if ctype.category in ("licence", "clearance")
                    else "",
                )
    if stdout is not None:
        stdout.write(
            f"Credentials: {len(types)} types, {len(groups)} groups, "
            f"{n} new staff credentials."
        )
