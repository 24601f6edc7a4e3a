"""Exports: streamed CSVs (constant memory, formula-safe), a person's training
file as a PDF, and a site's training files as one ZIP."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from reportlab.lib.units import cm

from courses.selectors import attestations_for, completions_for
from credentials.selectors import credentials_for
from portal.csvfiles import csv_lines, neutralise  # noqa: F401 - used by callers
from portal.dates import agency_now
from portal.formats.en.formats import DATETIME_ZONE_FORMAT
from portal.models import StaffProfile
from portal.pdf import PageNumbers, pdf_from_html, pdf_html
from portal.requirements import Status
from portal.rollup import off_staff_phrase, readiness_for
from skills.models import SkillSignOff

CHUNK = 2000  # rows fetched per round trip
STATUS_BATCH = 500  # people whose statuses are computed at once


MATRIX_HEADER = [
    "Employee ID",
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
        "generated": training_file_stamp(
            generated_at=agency_now(), generated_by=generated_by
        ),
        "Status": Status,
    }


TRAINING_FILE_TEMPLATE = "compliance/training_file_pdf.html"
# Stands for "generated <when> by <whom>" in the HTML whose hash keys the cache, so
# that a file rendered earlier from the same records is the same document.
STAMP = "[[milieu-generated-stamp]]"
CACHE_DIR = "training-files/cache"
# On the footer's line, at its right margin (1.5 cm): see the template's @page.
TRAINING_FILE_PAGE_NUMBERS = PageNumbers(right=1.5 * cm, baseline=45.7)
CACHE_KEEP_OTHER_DATES = dt.timedelta(days=30)


def training_file_stamp(*, generated_at: dt.datetime, generated_by) -> str:
    """ "Nov 25, 2026, 12:00 PM EST by Jane Doe": when and by whom a file was drawn."""
    who = ""
    if generated_by is not None:
        who = generated_by.get_full_name() or generated_by.email
    when = date_format(template_localtime(generated_at), DATETIME_ZONE_FORMAT)
    return f"{when} by {who}"


def training_file_html(*, staff: StaffProfile, as_of: dt.date) -> str:
    """The training file's HTML with ``STAMP`` where the generation stamp goes: the
    same records give the same text, a changed record (or setting) a new one."""
    context = training_file_context(staff=staff, as_of=as_of, generated_by=None)
    context["generated"] = STAMP
    return pdf_html(template_name=TRAINING_FILE_TEMPLATE, context=context)


def training_file_render(html: str, *, stamp: str) -> bytes:
    """Draw the HTML of ``training_file_html`` with its stamp filled in."""
    return pdf_from_html(
        html.replace(STAMP, escape(stamp)),
        name=TRAINING_FILE_TEMPLATE,
        page_numbers=TRAINING_FILE_PAGE_NUMBERS,
    )


def training_file_pdf(*, staff: StaffProfile, as_of: dt.date, generated_by) -> bytes:
    """The training file of one person as PDF bytes (xhtml2pdf)."""
    return training_file_render(
        training_file_html(staff=staff, as_of=as_of),
        stamp=training_file_stamp(generated_at=agency_now(), generated_by=generated_by),
    )


def training_file_cached(
    *, staff: StaffProfile, as_of: dt.date, generated_by
) -> tuple[str, bool]:
    """The private-storage name of ``staff``'s training file as of ``as_of``, drawn
    only when no file from the same records exists; returns (name, drawn now).

    The name carries a hash of the document's text, so any change to what the file
    shows (a completion, a credential, a decision, a sign-off, a name, a job role,
    the agency's time zone) gives a new name and a fresh drawing.
    """
    html = training_file_html(staff=staff, as_of=as_of)
    fingerprint = hashlib.sha256(html.encode()).hexdigest()[:32]
    name = f"{CACHE_DIR}/{staff.pk}/{as_of.isoformat()}-{fingerprint}.pdf"
    storage = storages["private"]
    if storage.exists(name):
        return name, False
    pdf = training_file_render(
        html,
        stamp=training_file_stamp(generated_at=agency_now(), generated_by=generated_by),
    )
    _save_whole(storage, name, pdf)
    _prune_cache(storage, staff_id=staff.pk, as_of=as_of, keep=name)
    return name, True


def _save_whole(storage, name: str, content: bytes) -> None:
    """Save ``content`` as ``name`` so that nobody ever reads half of it: written
    aside and renamed into place where the storage is a folder; two workers that
    draw the same file at once both end with one whole file."""
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(content))
            if saved != name:
                storage.delete(saved)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _prune_cache(storage, *, staff_id: int, as_of: dt.date, keep: str) -> None:
    """Drop the person's older files for the same date, and files of other dates
    not drawn for a month."""
    folder = f"{CACHE_DIR}/{staff_id}"
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - CACHE_KEEP_OTHER_DATES
    for file in files:
        name = f"{folder}/{file}"
        if name == keep or file.endswith(".part"):
            continue
        with contextlib.suppress(FileNotFoundError):
            if (
                file.startswith(f"{as_of.isoformat()}-")
                or storage.get_modified_time(name) < cutoff
            ):
                storage.delete(name)


def training_file_name(staff: StaffProfile, as_of: dt.date) -> str:
    return f"training-file-{slugify(staff.full_name)}-{staff.employee_id}-{as_of}.pdf"
