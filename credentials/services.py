"""Writes about credentials: add, renew, verify, reject, documents, notifications.

Every function is keyword-only and runs inside a transaction; e-mail and other
background work is queued only once the transaction has committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Iterable, Iterator

from auditlog.context import auditlog_value, set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format

from portal.dates import agency_time_zone, agency_today
from portal.models import OutboundEmail, StaffProfile, User
from portal.permissions import may_verify_credential
from portal.queue import enqueue  # also imported from here by older code
from portal.requirements import Status

from .models import (
    CalendarFeed,
    Credential,
    CredentialDecision,
    CredentialDocument,
    CredentialType,
    Notification,
    ReminderLog,
    ReminderSent,
)

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Refused from the image's header, before decoding: a scan of a card at 600 dpi
# is a few million pixels; a file claiming more is a mistake or a bomb.
MAX_IMAGE_PIXELS = 40_000_000
# Content is recognized by its first bytes, never by the file name.
_MAGIC = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


@contextlib.contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Audit-log entries written inside are attributed to ``user``; an outer
    context (the request's) is restored afterward."""
    if user is None:
        yield
        return
    try:
        previous = auditlog_value.get()
    except LookupError:
        previous = None
    with set_actor(user):
        yield
    if previous is not None:
        auditlog_value.set(previous)


# --- Documents -----------------------------------------------------------------------


class DocumentError(ValidationError):
    """An upload that is refused; the message says why."""


def _bad_name(name: str) -> bool:
    return (
        not name
        or "/" in name
        or "\\" in name
        or ".." in name
        or any(unicodedata.category(ch).startswith("C") for ch in name)
        or len(name) > 200
    )


def document_check(*, upload) -> tuple[str, str, int]:
    """(content type, extension, size) of an acceptable upload, else DocumentError."""
    name = str(getattr(upload, "name", "") or "")
    if _bad_name(name):
        raise DocumentError(
            "The file name is not allowed (it is empty, too long, or contains a path "
            "or special characters). Rename the file and upload it again."
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise DocumentError(f"“{name}” is empty (0 bytes). Choose the scanned file.")
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"“{name}” is {size / 1024 / 1024:.1f} MB; the limit is 10 MB. Scan at a "
            "lower resolution or save the photo smaller."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, ext in _MAGIC:
        if head.startswith(magic):
            try:
                if ext == "pdf":
                    _pdf_check(name=name, upload=upload)
                else:
                    _image_check(name=name, upload=upload)
            finally:
                upload.seek(0)
            return content_type, ext, size
    raise DocumentError(
        f"“{name}” is not a PDF, JPEG or PNG file (checked by its content, not its "
        "name). Save or scan it as PDF, JPEG or PNG and upload it again."
    )


# Names that make a PDF run code or carry other files (PDF 1.7, 12.6 and 7.11.4).
_PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_PDF_FILE_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}


def _pdf_check(*, name: str, upload) -> None:
    """Open the PDF (a scan is read by people, and merged into training files):
    refuse one that cannot be read, runs JavaScript or carries embedded files."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    unreadable = DocumentError(
        f"“{name}” could not be opened as a PDF (it is damaged or "
        "password-protected). Save or scan it again as a PDF and upload that."
    )
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            raise unreadable
        if len(reader.pages) == 0:
            raise unreadable
        # Every object reachable from the trailer, each once.
        stack: list = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                if (obj.idnum, obj.generation) in seen:
                    continue
                seen.add((obj.idnum, obj.generation))
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                keys = set(obj.keys())
                if keys & _PDF_SCRIPT_KEYS or obj.get("/S") == "/JavaScript":
                    raise DocumentError(
                        f"“{name}” contains JavaScript, which a scanned document "
                        "never needs. Print it to PDF (or scan it) and upload that."
                    )
                if keys & _PDF_FILE_KEYS:
                    raise DocumentError(
                        f"“{name}” has other files embedded in it. Upload each "
                        "document as its own PDF, JPEG or PNG."
                    )
                stack.extend(v for k, v in obj.items() if k != "/Parent")
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything
        raise unreadable from exc


def _image_check(*, name: str, upload) -> None:
    """Read the image's size from its header, before any decoding: refuse more
    than ``MAX_IMAGE_PIXELS`` (a small file can claim billions of pixels), then
    check that the file is a whole image."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    def too_big(what: str) -> DocumentError:
        return DocumentError(
            f"“{name}” {what}; the limit is {MAX_IMAGE_PIXELS // 1_000_000} "
            "million pixels. Save the photo smaller (a phone's “medium” size is "
            "plenty) and upload it again."
        )

    try:
        with warnings.catch_warnings():
            # Pillow's own guard (far above our limit) warns, then raises.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size  # from the header; nothing decoded
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_big(f"is {width:,} × {height:,} pixels")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big("claims far too many pixels") from exc
    except DocumentError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentError(
            f"“{name}” could not be opened as an image (it is damaged or cut "
            "short). Take the photo or scan again and upload that."
        ) from exc


def _store_document(*, credential: Credential, upload, by: User) -> CredentialDocument:
    content_type, ext, size = document_check(upload=upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    storage = storages["private"]
    stored = storage.save(f"credentials/{secrets.token_hex(16)}.{ext}", upload)
    return CredentialDocument.objects.create(
        credential=credential,
        file=stored,
        original_name=str(upload.name)[:200],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )


def document_open(*, document: CredentialDocument):
    return storages["private"].open(document.file, "rb")


@transaction.atomic
def credential_document_add(
    *, credential: Credential, upload, by: User
) -> CredentialDocument:
    """Attach another document (the back of a card) to a credential."""
    document_check(upload=upload)
    with acting_as(by):
        return _store_document(credential=credential, upload=upload, by=by)


# --- Credentials ---------------------------------------------------------------------


def _latest_live(*, staff: StaffProfile, credential_type: CredentialType):
    return (
        Credential.objects.select_for_update()
        .live()
        .filter(staff=staff, credential_type=credential_type)
        .order_by("-created_at", "-pk")
        .first()
    )


def _cancel_unsent_reminders(*, staff_id: int, credential_type_id: int) -> int:
    return ReminderLog.objects.filter(
        staff_id=staff_id,
        credential_type_id=credential_type_id,
        sent_at__isnull=True,
        cancelled_at__isnull=True,
    ).update(cancelled_at=timezone.now())


def credential_chain_relink(*, staff_id: int, credential_type_id: int) -> None:
    """Keep a person's records of one type to the one rule of a credential that
    counts (``Credential.objects.live()``): in the order they were put on file,
    each record is superseded by the next one not returned, so the newest record
    not returned is the only live one, the record the provider reads."""
    records = (
        Credential.objects.select_for_update()
        .filter(staff_id=staff_id, credential_type_id=credential_type_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", "verification_status", "superseded_by_id")
    )
    newer = None
    for pk, verification, superseded_by in list(records):  # newest first
        if superseded_by != newer:
            Credential.objects.filter(pk=pk).update(superseded_by_id=newer)
        if verification != Credential.Verification.REJECTED:
            newer = pk


@transaction.atomic
def credential_create(
    *,
    staff: StaffProfile,
    credential_type: CredentialType,
    by: User,
    number: str = "",
    issuing_body: str = "",
    state: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    documents: Iterable = (),
    verified: bool = False,
    primary_source_note: str = "",
    by_attendance: bool = False,
) -> Credential:
    """Put a credential on file (a renewal when one of the type is already on file:
    the new record supersedes it and stops its reminders).

    ``by_attendance``: a class roster is the evidence, so the card (its document
    and number) may follow later."""
    documents = list(documents)
    for upload in documents:  # refuse before anything is written
        document_check(upload=upload)
    if credential_type.requires_document and not documents and not by_attendance:
        raise ValidationError(
            {"documents": f"Upload a scan or photo of the {credential_type.name}."}
        )
    if expires_on is None:
        # The type's rule (a fixed renewal date, or N months) fills the gap.
        expires_on = credential_type.expiry_for(issued_on)
    credential = Credential(
        staff=staff,
        credential_type=credential_type,
        number=number.strip(),
        issuing_body=issuing_body.strip(),
        state=state.strip(),
        issued_on=issued_on,
        expires_on=expires_on if credential_type.has_expiry else None,
        created_by=by,
        primary_source_note=primary_source_note,
    )
    try:
        credential.full_clean(exclude=["verified_by", "supersedes", "superseded_by"])
    except ValidationError as exc:
        errors = {
            k: v
            for k, v in exc.message_dict.items()
            if not (by_attendance and k == "number")
        }
        if errors:
            raise ValidationError(errors) from exc
    with acting_as(by):
        predecessor = _latest_live(staff=staff, credential_type=credential_type)
        credential.supersedes = predecessor
        if verified:
            if staff.user_id == by.pk:
                raise ValidationError(OWN_CREDENTIAL)
            credential.verification_status = Credential.Verification.VERIFIED
            credential.verified_by = by
            credential.verified_at = timezone.now()
        credential.save()
        credential_chain_relink(
            staff_id=staff.pk, credential_type_id=credential_type.pk
        )
        _cancel_unsent_reminders(
            staff_id=staff.pk, credential_type_id=credential_type.pk
        )
        for upload in documents:
            _store_document(credential=credential, upload=upload, by=by)
    return credential


OWN_CREDENTIAL = (
    "You cannot verify or reject your own credential; another HR user reviews it."
)


def _refuse_own(*, credential: Credential, by: User) -> None:
    """Only HR decides, and never on their own credential."""
    if may_verify_credential(user=by, staff=credential.staff):
        return
    if credential.staff.user_id == by.pk:
        raise ValidationError(OWN_CREDENTIAL)
    raise ValidationError("Only HR verifies or returns credentials.")


@transaction.atomic
def credential_verify(
    *,
    credential: Credential,
    by: User,
    primary_source_note: str = "",
    notify: bool = True,
) -> Credential:
    """HR confirms a pending credential against its document (and, unless
    ``notify`` is off, the staff member is told)."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.verification_status != Credential.Verification.PENDING:
        raise ValidationError("This credential was already verified or rejected.")
    _refuse_own(credential=credential, by=by)
    with acting_as(by):
        credential.verification_status = Credential.Verification.VERIFIED
        credential.verified_by = by
        credential.verified_at = timezone.now()
        credential.decision_emailed_at = None  # a new decision: a new email is due
        if primary_source_note:
            credential.primary_source_note = primary_source_note.strip()[:300]
        credential.save()
        CredentialDecision.objects.create(
            credential=credential,
            action=CredentialDecision.Action.VERIFIED,
            by=by,
            at=credential.verified_at,
            reason=primary_source_note.strip()[:300],
        )
        if credential.supersedes_id:
            _cancel_unsent_reminders(
                staff_id=credential.staff_id,
                credential_type_id=credential.credential_type_id,
            )
    if notify:
        _tell_staff(
            credential=credential,
            text=f"HR verified your {credential.credential_type.name}.",
        )
    else:  # nothing to email, now or later
        Credential.objects.filter(pk=credential.pk).update(
            decision_emailed_at=timezone.now()
        )
    return credential


@transaction.atomic
def credential_reject(*, credential: Credential, by: User, reason: str) -> Credential:
    """HR returns a pending credential with a reason the staff member is told
    ("returned: action needed"); the record it was meant to renew counts (and is
    reminded about) again until the person corrects and resubmits it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so the staff member can fix it."})
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.verification_status != Credential.Verification.PENDING:
        raise ValidationError("This credential was already verified or rejected.")
    _refuse_own(credential=credential, by=by)
    with acting_as(by):
        credential.verification_status = Credential.Verification.REJECTED
        credential.rejection_reason = reason
        credential.verified_by = by
        credential.verified_at = timezone.now()
        credential.decision_emailed_at = None  # a new decision: a new email is due
        credential.save()
        CredentialDecision.objects.create(
            credential=credential,
            action=CredentialDecision.Action.RETURNED,
            by=by,
            at=credential.verified_at,
            reason=reason,
        )
        # The record it was meant to renew counts again, unless a newer one
        # came meanwhile (which then renews that record itself).
        credential_chain_relink(
            staff_id=credential.staff_id,
            credential_type_id=credential.credential_type_id,
        )
    _tell_staff(
        credential=credential,
        text=(
            f"HR returned your {credential.credential_type.name}: action needed. "
            f"{reason}"
        )[:300],
    )
    return credential


_FIELD_LABELS = {
    "number": "number",
    "issuing_body": "issued by",
    "state": "state",
    "issued_on": "issued on",
    "expires_on": "expires on",
}


@transaction.atomic
def credential_resubmit(
    *,
    credential: Credential,
    by: User,
    number: str = "",
    issuing_body: str = "",
    state: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    documents: Iterable = (),
) -> Credential:
    """The person corrects a returned credential (its fields, more documents) and
    sends it back to the verification queue, marked as a resubmission."""
    documents = list(documents)
    for upload in documents:  # refuse before anything is written
        document_check(upload=upload)
    credential = (
        Credential.objects.select_for_update()
        .select_related("credential_type")
        .get(pk=credential.pk)
    )
    if credential.verification_status != Credential.Verification.REJECTED:
        raise ValidationError(
            "Only a credential HR returned can be resubmitted; this one is "
            f"{credential.get_verification_status_display().lower()}."
        )
    if credential.superseded_by_id:
        raise ValidationError("A newer record replaced this one; update that instead.")
    ctype = credential.credential_type
    new = {
        "number": number.strip(),
        "issuing_body": issuing_body.strip(),
        "state": state.strip(),
        "issued_on": issued_on,
        "expires_on": expires_on if ctype.has_expiry else None,
    }
    changed = [
        _FIELD_LABELS[name]
        for name, value in new.items()
        if getattr(credential, name) != value
    ]
    for name, value in new.items():
        setattr(credential, name, value)
    credential.full_clean(exclude=["verified_by", "supersedes", "superseded_by"])
    if not changed and not documents:
        raise ValidationError(
            "Correct a field or add a document before sending it back to HR."
        )
    now = timezone.now()
    with acting_as(by):
        credential.verification_status = Credential.Verification.PENDING
        credential.verified_by = None
        credential.verified_at = None
        credential.resubmitted_at = now
        credential.save()
        # It renews the record it was meant to renew again.
        credential_chain_relink(
            staff_id=credential.staff_id,
            credential_type_id=credential.credential_type_id,
        )
        for upload in documents:
            _store_document(credential=credential, upload=upload, by=by)
        what = []
        if changed:
            what.append("corrected " + ", ".join(changed))
        if documents:
            what.append(
                f"added {len(documents)} document{'s' if len(documents) != 1 else ''}"
            )
        CredentialDecision.objects.create(
            credential=credential,
            action=CredentialDecision.Action.RESUBMITTED,
            by=by,
            at=now,
            reason="; ".join(what).capitalize() + ".",
        )
    resubmission_email_add(credential_id=credential.pk)
    return credential


def resubmission_email_add(*, credential_id: int) -> bool:
    """Tell the HR person who returned a credential that it is back in the queue:
    the email goes in the outbox (once per resubmission) with the notification."""
    from portal.mail import email_message
    from portal.outbox import outbox_add

    credential = (
        Credential.objects.select_related("credential_type", "staff__user")
        .filter(pk=credential_id, verification_status=Credential.Verification.PENDING)
        .first()
    )
    if credential is None:
        return False
    returned = (
        credential.decisions.filter(action=CredentialDecision.Action.RETURNED)
        .select_related("by")
        .last()
    )
    reviewer = returned.by if returned else None
    if reviewer is None or not reviewer.email or not reviewer.is_active:
        return False
    context = {
        "credential": credential,
        "user": reviewer,
        "returned": returned,
        "resubmitted": credential.decisions.last(),
        "url": settings.SITE_URL + reverse("credential_review", args=[credential.pk]),
    }
    name = credential.staff.full_name
    message = email_message(
        template="credentials/email/resubmitted",
        subject=f"[Milieu] {name} resubmitted the "
        f"{credential.credential_type.name} you returned",
        context=context,
        to=[reviewer.email],
    )
    resubmitted = context["resubmitted"]
    key = f"resubmitted.{resubmitted.pk if resubmitted else credential.pk}"
    if OutboundEmail.objects.filter(dedupe_key=key).exists():
        return False
    outbox_add(kind="resubmitted", key=key, message=message, recipient=reviewer)
    notification_create(
        user=reviewer,
        text=f"{name} corrected and resubmitted the {credential.credential_type.name} "
        "you returned.",
        url=reverse("credential_review", args=[credential.pk]),
    )
    return True


def _tell_staff(*, credential: Credential, text: str) -> None:
    url = reverse("credential_detail", args=[credential.pk])
    notification_create(user=credential.staff.user, text=text, url=url)
    from .tasks import send_decision_email

    enqueue(send_decision_email, credential.pk)


def _verified_by_attendance(credential: Credential) -> dict | None:
    """The class a credential was verified by (a signed roster), unless HR verified
    it afterward through the queue: the email then says what happened, not "HR
    verified"."""
    if credential.decisions.filter(action=CredentialDecision.Action.VERIFIED).exists():
        return None
    entry = (
        credential.class_entries.select_related("roster__session")
        .order_by("pk")
        .first()
    )
    if entry is None:
        return None
    session = entry.roster.session
    by = credential.verified_by
    return {
        "title": session.title,
        "on": timezone.localtime(session.starts_at, agency_time_zone()).date(),
        "signed_by": entry.roster.signature,
        "verified_by": (by.get_full_name() or by.email) if by else "",
    }


def decision_email_send(*, credential_id: int) -> bool:
    """Tell the staff member HR's decision (verified or rejected, with the reason),
    once: the row is locked and marked as the email goes in the outbox, so a task
    delivered twice writes one email."""
    from portal.mail import email_message
    from portal.outbox import outbox_add

    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("credential_type", "staff__user")
            .filter(pk=credential_id, decision_emailed_at__isnull=True)
            .exclude(verification_status=Credential.Verification.PENDING)
            .first()
        )
        if credential is None:
            return False
        user = credential.staff.user
        done = Credential.objects.filter(pk=credential.pk)
        if not user.email or not user.is_active:
            done.update(decision_emailed_at=timezone.now())
            return False
        verified = credential.verification_status == Credential.Verification.VERIFIED
        context = {
            "credential": credential,
            "user": user,
            "url": settings.SITE_URL
            + reverse("credential_detail", args=[credential.pk]),
            "attended": _verified_by_attendance(credential) if verified else None,
        }
        verdict = "verified" if verified else "returned"
        subject = f"[Milieu] Your {credential.credential_type.name} was {verdict}"
        if context["attended"]:
            subject = f"[Milieu] Your {credential.credential_type.name} is on file"
        message = email_message(
            template="credentials/email/decision",
            subject=subject,
            context=context,
            to=[user.email],
        )
        decision = credential.decisions.order_by("pk").last()
        outbox_add(
            kind="decision",
            key=f"decision.{credential.pk}.{decision.pk if decision else verdict}",
            message=message,
            recipient=user,
        )
        done.update(decision_emailed_at=timezone.now())
    return True


def decision_emails_unsent(*, older_than_minutes: int = 10, within_days: int = 14):
    """Ids of decisions made a while ago whose email has not gone out."""
    now = timezone.now()
    return list(
        Credential.objects.filter(
            decision_emailed_at__isnull=True,
            verified_at__lt=now - dt.timedelta(minutes=older_than_minutes),
            verified_at__gte=now - dt.timedelta(days=within_days),
        )
        .exclude(verification_status=Credential.Verification.PENDING)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def decision_emails_requeue(*, older_than_minutes: int = 10) -> int:
    """Queue again the decision emails still unsent (a broker or a worker that was
    down); returns how many. A decision queued twice is emailed once."""
    from .tasks import send_decision_email

    ids = decision_emails_unsent(older_than_minutes=older_than_minutes)
    for pk in ids:
        enqueue(send_decision_email, pk)
    return len(ids)


# --- Notifications and the calendar feed ---------------------------------------------


def notification_create(*, user: User, text: str, url: str = "") -> Notification:
    return Notification.objects.create(user=user, text=text[:300], url=url[:300])


def notifications_mark_read(*, user: User) -> int:
    from portal.fragments import person_changed

    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    staff = getattr(user, "staff", None)
    if marked and staff is not None:
        person_changed(staff.pk)  # the home page's unread count
    return marked


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret token: the old calendar URL stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        from .models import new_feed_token

        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


# --- The manual reminder: a supervisor or HR emails a person what needs attention --

SELF_SERVICE_KINDS = {"course", "credential"}


class ReminderTooSoon(ValidationError):
    """A reminder went to this person less than MANUAL_REMINDER_GAP_HOURS ago."""


def reminder_items(requirements) -> tuple[list, list]:
    """Split unmet requirements into what the person can do themselves (courses to
    complete, credentials to upload or renew) and what waits on someone else
    (verification of an upload, a skill sign-off by an observer)."""
    act, waiting = [], []
    for c in requirements:
        if c.status == Status.CURRENT:
            continue
        if c.status == Status.PENDING or c.kind not in SELF_SERVICE_KINDS:
            waiting.append(c)
        else:
            act.append(c)
    return act, waiting


@transaction.atomic
def reminder_send(*, staff: StaffProfile, by: User) -> int:
    """Email ``staff`` what needs attention; returns the number of items listed.

    Refuses (``ReminderTooSoon``) when the person was reminded within the
    MANUAL_REMINDER_GAP_HOURS setting: the person's row is locked while checking
    and recording, so a double POST sends one email.
    """
    from portal.mail import email_message
    from portal.outbox import outbox_add
    from portal.permissions import user_has_access
    from portal.rollup import readiness_for

    if not user_has_access(staff.user):
        # A leaver (or a closed account) gets no reminders (issue 9).
        raise ReminderTooSoon(
            f"{staff.full_name}'s account is closed: no reminders go to them."
        )
    StaffProfile.objects.select_for_update().filter(pk=staff.pk).first()
    now = timezone.now()
    gap = dt.timedelta(hours=settings.MANUAL_REMINDER_GAP_HOURS)
    last = (
        ReminderSent.objects.filter(staff=staff, sent_at__gt=now - gap)
        .select_related("sent_by")
        .order_by("-sent_at")
        .first()
    )
    if last is not None:
        zone = agency_time_zone()
        sent = timezone.localtime(last.sent_at, zone)
        again = timezone.localtime(last.sent_at + gap, zone)
        when = (
            time_format(again)
            if again.date() == sent.date()
            else f"{time_format(again)} on {date_format(again.date())}"
        )
        raise ReminderTooSoon(
            f"{staff.full_name} was already reminded at {time_format(sent)} by "
            f"{last.sent_by.get_full_name() or last.sent_by.email}; "
            f"try again after {when}."
        )
    today = agency_today()
    readiness = readiness_for(staff_ids=[staff.pk], as_of=today)[staff.pk]
    act, waiting = reminder_items(readiness.requirements)
    if not act and not waiting:
        return 0
    record = ReminderSent.objects.create(
        staff=staff, sent_by=by, sent_at=now, item_count=len(act) + len(waiting)
    )
    context = {
        "staff": staff,
        "act": act,
        "waiting": waiting,
        "by": by,
        "today": today,
        "site_url": settings.SITE_URL,
    }
    message = email_message(
        template="credentials/email/manual_reminder",
        subject="[Milieu] Your training and credentials: what needs attention",
        context=context,
        to=[staff.user.email],
    )
    outbox_add(
        kind="manual_reminder",
        key=f"manual_reminder.{record.pk}",
        message=message,
        recipient=staff.user,
    )
    return len(act) + len(waiting)
