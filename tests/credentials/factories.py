"""Factories for credentials."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from credentials.models import Credential, CredentialRequirement, CredentialType
from tests.factories import JobRoleFactory, StaffProfileFactory, written

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


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
