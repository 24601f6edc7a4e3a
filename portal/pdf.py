"""PDFs from HTML templates (xhtml2pdf), drawn in a font that prints every name.

xhtml2pdf's built-in fonts (Helvetica, Times) know only Western European letters:
"Nguyễn", "Łukasz", "Ελένη" or "Дмитрий" came out as black boxes. The templates
use DejaVu Sans, which the project ships in ``static/fonts/`` with its license and
embeds (subset) into every PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILY = "DejaVu Sans"
_FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
)


def font_face_css() -> SafeString:
    """The ``@font-face`` rules that register the shipped font with xhtml2pdf."""
    rules = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; '
        f'src: url("{(FONT_DIR / name).as_posix()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in _FACES
    ]
    return mark_safe("\n".join(rules))  # noqa: S308 - our own constant paths


class PdfError(RuntimeError):
    """xhtml2pdf could not draw the document."""


def pdf_from_template(*, template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` (plus ``pdf_font_css``) to PDF bytes.

    The template puts ``{{ pdf_font_css }}`` in its ``<style>`` and uses
    ``font-family: "DejaVu Sans"``.
    """
    from xhtml2pdf import pisa

    html = render_to_string(template_name, {**context, "pdf_font_css": font_face_css()})
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise PdfError(f"The PDF could not be generated from {template_name}.")
    return out.getvalue()


def pdf_response(
    pdf: bytes, *, filename: str, cache_control: str = "no-store"
) -> HttpResponse:
    """``pdf`` as a download named ``filename``, kept out of shared caches."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache_control
    return response
