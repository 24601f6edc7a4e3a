"""Uploads are checked by content and size; documents are served only to people
who may see their owner, with safe headers; every step is in the audit trail."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials import services
from credentials.models import Credential, CredentialDocument
from tests.credentials.factories import (
    PDF_BYTES,
    CredentialTypeFactory,
    NamedBytes,
    pdf_bytes,
    pdf_upload,
    png_header,
    png_upload,
)
from tests.factories import PASSWORD, StaffProfileFactory

pytestmark = pytest.mark.django_db

BAD_UPLOADS = {
    "oversize": (
        SimpleUploadedFile,
        ("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024)),
        "the limit is 10 MB",
    ),
    "empty": (SimpleUploadedFile, ("empty.pdf", b""), "empty (0 bytes)"),
    "html named pdf": (
        SimpleUploadedFile,
        ("license.pdf", b"<html><script>alert(1)</script></html>"),
        "not a PDF, JPEG or PNG",
    ),
    "svg": (
        SimpleUploadedFile,
        ("card.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        "not a PDF, JPEG or PNG",
    ),
    # Parsed, not sniffed: the first bytes are right, the content is not.
    "pdf with javascript": (
        SimpleUploadedFile,
        ("card.pdf", pdf_bytes(javascript="app.alert('hi');")),
        "contains JavaScript",
    ),
    "pdf opening with javascript": (
        SimpleUploadedFile,
        ("card.pdf", pdf_bytes(open_action_js="app.alert('hi');")),
        "contains JavaScript",
    ),
    "pdf with an embedded file": (
        SimpleUploadedFile,
        ("card.pdf", pdf_bytes(attachment=b"MZ not a card")),
        "has other files embedded in it",
    ),
    "damaged pdf": (
        SimpleUploadedFile,
        ("card.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        "could not be opened as a PDF",
    ),
    "png claiming 30,000 x 30,000 pixels": (
        SimpleUploadedFile,
        ("card.png", png_header(30_000, 30_000)),
        "claims far too many pixels; the limit is 40 million pixels",
    ),
    "png of 48 megapixels": (
        SimpleUploadedFile,
        ("card.png", png_header(8_000, 6_000)),
        "is 8,000 × 6,000 pixels; the limit is 40 million pixels",
    ),
    "png cut short": (
        SimpleUploadedFile,
        ("card.png", png_header(100, 100)),
        "could not be opened as an image",
    ),
}


@pytest.fixture
def licence_type(db):
    return CredentialTypeFactory(
        name="Driver's license", code="dl", has_number=True, requires_document=True
    )


@pytest.fixture
def credential(staff, licence_type):
    return services.credential_create(
        staff=staff,
        credential_type=licence_type,
        by=staff.user,
        number="D123",
        expires_on=dt.date(2030, 1, 1),
        documents=[pdf_upload()],
    )


def _snapshot(credential):
    credential.refresh_from_db()
    return (
        credential.number,
        credential.expires_on,
        credential.verification_status,
        list(credential.documents.values_list("pk", "sha256")),
        Credential.objects.count(),
    )


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_to_existing_credential_is_refused_and_changes_nothing(
    client, staff, credential, case
):
    cls, args, message = BAD_UPLOADS[case]
    before = _snapshot(credential)
    client.force_login(staff.user)
    response = client.post(
        reverse("credential_document_upload", args=[credential.pk]),
        {"document": cls(*args)},
        follow=True,
    )
    assert message in response.content.decode()
    assert _snapshot(credential) == before


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_when_renewing_is_refused_and_the_form_says_why(
    client, staff, credential, case
):
    cls, args, message = BAD_UPLOADS[case]
    before = _snapshot(credential)
    client.force_login(staff.user)
    response = client.post(
        reverse("credential_renew", args=[credential.pk]),
        {"number": "D999", "expires_on": "2034-01-01", "documents": cls(*args)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot(credential) == before


def test_path_in_a_file_name_is_refused(staff, credential):
    before = _snapshot(credential)
    with pytest.raises(ValidationError, match="contains a path"):
        services.credential_document_add(
            credential=credential,
            upload=NamedBytes("../../etc/passwd.pdf", PDF_BYTES),
            by=staff.user,
        )
    assert _snapshot(credential) == before


def test_path_in_an_uploaded_name_never_reaches_the_disk(
    client, staff, credential, settings
):
    from pathlib import Path

    client.force_login(staff.user)
    client.post(
        reverse("credential_document_upload", args=[credential.pk]),
        {"document": SimpleUploadedFile("../../../evil.pdf", b"#!/bin/sh\nrm -rf /\n")},
    )
    assert not (Path(settings.PRIVATE_MEDIA_ROOT).parent / "evil.pdf").exists()
    assert credential.documents.count() == 1


def test_good_uploads_are_stored_under_a_random_private_name(
    staff, credential, settings
):
    doc = services.credential_document_add(
        credential=credential, upload=png_upload("back side.png"), by=staff.user
    )
    assert doc.content_type == "image/png"
    assert doc.original_name == "back side.png"
    assert "back" not in doc.file and doc.file.startswith("credentials/")
    assert doc.file.endswith(".png") and len(doc.sha256) == 64
    assert not doc.file.startswith(settings.MEDIA_URL.strip("/"))


def test_a_document_is_required_when_the_type_needs_one(staff, licence_type):
    with pytest.raises(ValidationError, match="Upload a scan"):
        services.credential_create(
            staff=staff,
            credential_type=licence_type,
            by=staff.user,
            number="X",
            expires_on=dt.date(2030, 1, 1),
        )
    assert Credential.objects.count() == 0


def test_expiry_is_checked_against_the_type(staff, licence_type):
    with pytest.raises(ValidationError, match="expires: give its expiry date"):
        services.credential_create(
            staff=staff,
            credential_type=licence_type,
            by=staff.user,
            number="X",
            documents=[pdf_upload()],
        )
    with pytest.raises(ValidationError, match="before the issue date"):
        services.credential_create(
            staff=staff,
            credential_type=licence_type,
            by=staff.user,
            number="X",
            issued_on=dt.date(2026, 5, 1),
            expires_on=dt.date(2026, 4, 30),
            documents=[pdf_upload()],
        )
    assert Credential.objects.count() == 0


# --- Who may fetch a document ------------------------------------------------------


@pytest.fixture
def document(credential):
    return credential.documents.get()


def _fetch(client, user, document, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("credential_document", args=[document.pk]), params)


def test_owner_gets_the_document_with_safe_headers(client, staff, document):
    response = _fetch(client, staff.user, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="card.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_another_staff_member_cannot_fetch_it(client, document, team):
    other = StaffProfileFactory(team=team)
    assert _fetch(client, other.user, document).status_code == 404


def test_another_teams_supervisor_cannot_fetch_it(client, document, other_supervisor):
    assert _fetch(client, other_supervisor, document).status_code == 404


def test_anonymous_cannot_fetch_it(client, document):
    assert _fetch(client, None, document).status_code == 404


def test_own_supervisor_and_hr_can_fetch_it(client, document, supervisor, hr):
    assert _fetch(client, supervisor, document).status_code == 200
    client.logout()
    response = _fetch(client, hr, document, inline="1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


def test_documents_are_not_under_the_media_url(client, document, hr):
    client.force_login(hr)
    assert client.get("/media/" + document.file).status_code == 404


# --- The audit trail ---------------------------------------------------------------


def test_audit_trail_shows_who_verified_what_and_when(client, staff, credential, hr):
    client.force_login(hr)
    response = client.post(
        reverse("credential_review", args=[credential.pk]),
        {"verify": "1", "primary_source_note": "State DMV lookup on 2026-11-25"},
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.verified_by == hr and credential.verified_at is not None
    entry = (
        LogEntry.objects.get_for_object(credential)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == hr
    assert entry.changes_dict["verification_status"] == ["pending", "verified"]
    page = client.get(
        reverse("credential_detail", args=[credential.pk])
    ).content.decode()
    assert "Audit trail" in page and str(hr) in page and "verification_status" in page
    # The creation and the upload were logged with who did them.
    created = LogEntry.objects.get_for_object(credential).get(
        action=LogEntry.Action.CREATE
    )
    assert created.actor == staff.user
    doc = credential.documents.get()
    assert (
        LogEntry.objects.get_for_object(doc).get(action=LogEntry.Action.CREATE).actor
        == staff.user
    )


def test_download_is_logged(client, document, hr):
    _fetch(client, hr, document)
    entry = LogEntry.objects.get_for_object(document).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == hr and "downloaded card.pdf" in entry.changes_text


def test_rejection_is_logged_and_the_staff_member_is_told(
    client, staff, credential, hr, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credential_review", args=[credential.pk]),
            {"reject": "1", "reason": "The scan is cut off at the expiry date."},
        )
    credential.refresh_from_db()
    assert credential.verification_status == "rejected"
    entry = LogEntry.objects.get_for_object(credential).latest("timestamp")
    assert entry.actor == hr
    assert entry.changes_dict["verification_status"] == ["pending", "rejected"]
    assert [m.to for m in mail.outbox] == [[staff.user.email]]
    assert "cut off" in mail.outbox[0].body
    assert staff.user.notifications.filter(text__contains="cut off").exists()


def test_no_credential_is_ever_deleted(credential):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        credential.staff.delete()
    assert CredentialDocument.objects.count() == 1


def test_login_through_password_for_coverage_of_real_session(client, staff, document):
    assert client.login(email=staff.user.email, password=PASSWORD)
    assert _fetch(client, None, document).status_code == 200
