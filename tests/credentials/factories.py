"""Factories for credentials."""

import datetime as dt
import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials.models import Credential, CredentialRequirement, CredentialType
from tests.factories import JobRoleFactory, StaffProfileFactory, written


def pdf_bytes(
    *, javascript: str = "", open_action_js: str = "", attachment: bytes = b""
) -> bytes:
    """A one-page PDF written by pypdf; with ``javascript`` (a document script)
    or ``open_action_js`` (an action on opening) it runs that when opened, with
    ``attachment`` it carries that file embedded."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(javascript))
    if open_action_js:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(open_action_js),
            }
        )
    if attachment:
        writer.add_attachment("payload.exe", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_BYTES = pdf_bytes()


def png_header(width: int, height: int) -> bytes:
    """The start of a PNG claiming ``width`` x ``height`` pixels, with a few bytes
    of them and no end: the size is all a reader sees before decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    )


def _png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


PNG_BYTES = _png_bytes()


def pdf_upload(name: str = "card.pdf", content: bytes = PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "card.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


class NamedBytes(io.BytesIO):
    """A file object whose name is kept as given (Django's upload classes strip
    paths before our code sees them; this lets a test hand the service one)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name
        self.size = len(data)

    def chunks(self):
        self.seek(0)
        yield self.read()


class CredentialTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialType
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Certification {n}")
    code = factory.Sequence(lambda n: f"cert-{n}")
    has_number = False
    requires_document = False
    validity_months = 24


class CredentialRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CredentialRequirement

    class Params:
        before_first_shift = False

    job_role = factory.SubFactory(JobRoleFactory)
    credential_type = factory.SubFactory(CredentialTypeFactory)
    due_rule = factory.LazyAttribute(
        lambda o: "before_first_shift" if o.before_first_shift else "within_days"
    )
    due_within_days = factory.LazyAttribute(
        lambda o: None if o.before_first_shift else 30
    )


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    staff = factory.SubFactory(StaffProfileFactory)
    credential_type = factory.SubFactory(CredentialTypeFactory)
    issued_on = written(dt.date(2025, 1, 1))
    expires_on = written(dt.date(2027, 1, 1))
    verification_status = "verified"
