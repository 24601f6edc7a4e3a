"""Certificate PDFs: one page per completion, with a QR code to the public check."""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from xhtml2pdf import pisa

from portal.dates import agency_time_zone
from portal.models import Agency

from .models import Completion


def verification_url(completion: Completion) -> str:
    path = reverse("courses:verify", args=[completion.certificate_code])
    return f"{settings.SITE_URL}{path}"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_pdf(*, completion: Completion) -> bytes:
    """The certificate of ``completion`` as PDF bytes."""
    agency = Agency.objects.order_by("pk").first()
    url = verification_url(completion)
    html = render_to_string(
        "courses/certificate.html",
        {
            "agency_name": agency.name if agency else "",
            "completion": completion,
            "learner": completion.staff.full_name,
            "completed_on": completion.completed_at.astimezone(
                agency_time_zone()
            ).date(),
            "verify_url": url,
            "qr": _qr_data_uri(url),
        },
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError("The certificate PDF could not be made.")
    return out.getvalue()
