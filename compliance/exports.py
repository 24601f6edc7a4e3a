"""Exports: streamed CSVs (constant memory, formula-safe), a person's training
file as a PDF, and a site's training files as one ZIP."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.text import slugify

from courses.selectors import attestations_for, completions_for
from credentials.selectors import credentials_for
from portal.csvfiles import csv_lines, neutralise  # noqa: F401 - used by callers
from portal.dates import agency_now
from portal.models import StaffProfile
from portal.pdf import pdf_from_template
from portal.requirements import Status
from skills.models import SkillSignOff

from .rollup import off_staff_phrase, readiness_for

CHUNK = 2000  # rows fetched per round trip
STATUS_BATCH = 500  # people whose statuses are computed at once


MATRIX_HEADER = [
    "Employee id",
    "Name",
    "Email",
    "Job role",
    "Team",
    "Site",
    "Program",
    "Requirement",
    "Kind",
    "Before first shift",
    "Status",
    "Due on",
    "Expires on",
    "Detail",
    "Ready for the floor",
    "Fully compliant",
    "As of",
]


def matrix_rows(
    staff_qs, *, as_of: dt.date, keep: Callable | None = None, kinds=None
) -> Iterator[list]:
    """One row per person and requirement (long form), chunk by chunk.

    People are read with ``.iterator(chunk_size=2000)`` and their statuses asked
    for one chunk at a time, so memory stays flat however many people there are.
    """
    yield MATRIX_HEADER
    people = staff_qs.values_list(
        "pk",
        "employee_id",
        "user__first_name",
        "user__last_name",
        "user__email",
        "job_role__name",
        "team__name",
        "team__site__name",
        "team__program__name",
    )
    buffer: list[tuple] = []

    def flush(batch):
        readiness = readiness_for(staff_ids=[p[0] for p in batch], as_of=as_of)
        for p in batch:
            r = readiness[p[0]]
            if keep is not None and not keep(r):
                continue
            person = [
                p[1],
                f"{p[2]} {p[3]}".strip(),
                p[4],
                p[5],
                p[6] or "",
                p[7] or "",
                p[8] or "",
            ]
            verdicts = [
                "yes" if r.ready_for_floor else "no",
                "yes" if r.fully_compliant else "no",
                as_of.isoformat(),
            ]
            cells = [c for c in r.requirements if kinds is None or c.kind in kinds]
            if not cells and kinds is None:
                yield [*person, "", "", "", "No requirements", "", "", "", *verdicts]
            for c in cells:
                yield [
                    *person,
                    c.label,
                    c.kind,
                    "yes" if c.before_first_shift else "no",
                    c.status_label,
                    c.due_on.isoformat() if c.due_on else "",
                    c.expires_on.isoformat() if c.expires_on else "",
                    c.detail,
                    *verdicts,
                ]

    for p in people.iterator(chunk_size=CHUNK):
        buffer.append(p)
        if len(buffer) >= STATUS_BATCH:
            yield from flush(buffer)
            buffer = []
    if buffer:
        yield from flush(buffer)


# --- The training file --------------------------------------------------------------


def training_file_context(*, staff: StaffProfile, as_of: dt.date, generated_by) -> dict:
    """Everything the agency can show for one person, as plain values."""
    readiness = readiness_for(staff_ids=[staff.pk], as_of=as_of)[staff.pk]
    completions = [
        {
            "course": c.course_title,
            "version": c.course_version,
            "completed_at": c.completed_at,
            "score": c.score,
            "certificate": c.certificate_code,
        }
        for c in completions_for(staff=staff)
    ]
    attestations = [
        {
            "policy": a.policy_title,
            "version": a.policy_version,
            "signed_at": a.signed_at,
        }
        for a in attestations_for(staff=staff)
    ]
    credentials = [
        {
            "type": c.credential_type.name,
            "number": c.number,
            "issuing_body": c.issuing_body,
            "issued_on": c.issued_on,
            "expires_on": c.expires_on or "does not expire",
            "verification": c.get_verification_status_display(),
            "verified_by": c.verified_by or "",
            "verified_at": c.verified_at,
            "primary_source_note": c.primary_source_note,
            "documents": [d.original_name for d in c.documents.all()],
            "rejected": c.verification_status == c.Verification.REJECTED,
            "rejection_reason": c.rejection_reason,
            "superseded_by": c.superseded_by,
        }
        for c in credentials_for(staff=staff)
    ]
    signoffs = list(
        SkillSignOff.objects.filter(staff=staff)
        .select_related("checklist", "signed_by", "corrects")
        .prefetch_related("items")
        .order_by("-observed_on", "-created_at")
    )
    return {
        "staff": staff,
        "as_of": as_of,
        "off_staff": ""
        if readiness.on_staff
        else off_staff_phrase(
            hire_date=staff.hire_date,
            termination_date=staff.termination_date,
            as_of=as_of,
        ),
        "readiness": readiness,
        "requirements": readiness.requirements,
        "completions": completions,
        "attestations": attestations,
        "credentials": credentials,
        "signoffs": signoffs,
        "generated_at": agency_now(),
        "generated_by": generated_by,
        "Status": Status,
    }


def training_file_pdf(*, staff: StaffProfile, as_of: dt.date, generated_by) -> bytes:
    """The training file of one person as PDF bytes (xhtml2pdf)."""
    return pdf_from_template(
        template_name="compliance/training_file_pdf.html",
        context=training_file_context(
            staff=staff, as_of=as_of, generated_by=generated_by
        ),
    )


def training_file_name(staff: StaffProfile, as_of: dt.date) -> str:
    return f"training-file-{slugify(staff.full_name)}-{staff.employee_id}-{as_of}.pdf"


def site_zip_build(*, job, progress: Callable[[int, str], None]) -> str:
    """Write the ZIP of the training file of everyone on staff at the job's site on
    its "as of" date into private storage; returns the stored file name."""
    people = list(
        StaffProfile.objects.select_related(
            "user", "job_role", "team", "team__site", "team__program"
        )
        .filter(team__site=job.site)
        .on_staff(job.as_of)
        .order_by("user__last_name", "user__first_name", "pk")
    )
    buffer = io.BytesIO()
    total = max(len(people), 1)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, person in enumerate(people, start=1):
            archive.writestr(
                training_file_name(person, job.as_of),
                training_file_pdf(
                    staff=person, as_of=job.as_of, generated_by=job.requested_by
                ),
            )
            progress(int(n * 100 / total), f"{n} of {len(people)} training files")
    name = (
        f"exports/training-files-{slugify(job.site.name)}-{job.as_of}-"
        f"{timezone.now():%Y%m%d%H%M%S}-{job.pk}.zip"
    )
    return storages["private"].save(name, ContentFile(buffer.getvalue()))
