"""Certificate PDFs: one page per completion, with a QR code to the public check."""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.urls import reverse

from portal.dates import agency_today
from portal.pdf import pdf_from_template

from .models import Completion
from .selectors import certificate_check


def verification_url(completion: Completion) -> str:
    path = reverse("courses:verify", args=[completion.certificate_code])
    return f"{settings.SITE_URL}{path}"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[call-arg]  # Pillow's image, not pypng's
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_pdf(*, completion: Completion) -> bytes:
    """The certificate of ``completion`` as PDF bytes: the same facts as its public
    check (agency, course and version, completion and renew-by dates)."""
    check = certificate_check(completion=completion, today=agency_today())
    url = verification_url(completion)
    return pdf_from_template(
        template_name="courses/certificate.html",
        context={
            "check": check,
            "agency_name": check.agency_name,
            "completion": completion,
            "learner": completion.staff.full_name,
            "completed_on": check.completed_on,
            "verify_url": url,
            "qr": _qr_data_uri(url),
        },
    )
