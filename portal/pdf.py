"""PDFs from HTML templates (xhtml2pdf), drawn in a font that prints every name.

xhtml2pdf's built-in fonts (Helvetica, Times) know only Western European letters:
"Nguyễn", "Łukasz", "Ελένη" or "Дмитрий" came out as black boxes. The templates
use DejaVu Sans, which the project ships in ``static/fonts/`` with its license and
embeds (subset) into every PDF.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def pdf_html(*, template_name: str, context: dict) -> str:
    """The HTML of ``template_name`` with ``context`` plus ``pdf_font_css``."""
    return render_to_string(template_name, {**context, "pdf_font_css": font_face_css()})


@functools.cache
def _resource_policy() -> Any:
    """What a document may read: the shipped fonts, wherever the process runs
    (xhtml2pdf's default is the working directory, which a worker's may not be)."""
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    return ResourceAccessPolicy(base_dir=FONT_DIR)


@dataclass(frozen=True)
class PageNumbers:
    """Where "page X of Y" is printed: its right end and baseline, in points from
    the page's right and bottom edges."""

    right: float
    baseline: float
    size: float = 7
    gray: tuple[float, float, float] = (0x52 / 255, 0x60 / 255, 0x6D / 255)


@functools.cache
def _page_number_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("MilieuPageNumbers", FONT_DIR / "DejaVuSans.ttf"))
    return "MilieuPageNumbers"


def number_pages(pdf: bytes, *, where: PageNumbers) -> bytes:
    """Print "page X of Y" on every page of ``pdf``.

    xhtml2pdf's ``<pdf:pagecount>`` lays the whole document out twice (once to
    count the pages); drawing the numbers on afterward costs one layout.
    """
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    overlay = io.BytesIO()
    drawing = canvas.Canvas(overlay)
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        drawing.setPageSize((width, height))
        drawing.setFont(_page_number_font(), where.size)
        drawing.setFillColorRGB(*where.gray)
        drawing.drawRightString(
            width - where.right, where.baseline, f"page {number} of {total}"
        )
        drawing.showPage()
    drawing.save()
    writer = PdfWriter(clone_from=reader)
    for page, numbers in zip(
        writer.pages, PdfReader(io.BytesIO(overlay.getvalue())).pages, strict=True
    ):
        page.merge_page(numbers)
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_from_html(
    html: str, *, name: str = "document", page_numbers: PageNumbers | None = None
) -> bytes:
    """PDF bytes of ``html`` (a template rendered by ``pdf_html``), numbered
    "page X of Y" where ``page_numbers`` says."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    result = pisa.CreatePDF(
        html, dest=out, encoding="utf-8", resource_policy=_resource_policy()
    )
    if result.err:
        raise PdfError(f"The PDF could not be generated from {name}.")
    if page_numbers is None:
        return out.getvalue()
    return number_pages(out.getvalue(), where=page_numbers)


def pdf_from_template(*, template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` (plus ``pdf_font_css``) to PDF bytes.

    The template puts ``{{ pdf_font_css }}`` in its ``<style>`` and uses
    ``font-family: "DejaVu Sans"``.
    """
    return pdf_from_html(
        pdf_html(template_name=template_name, context=context), name=template_name
    )


def pdf_response(
    pdf: bytes, *, filename: str, cache_control: str = "no-store"
) -> HttpResponse:
    """``pdf`` as a download named ``filename``, kept out of shared caches."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache_control
    return response
