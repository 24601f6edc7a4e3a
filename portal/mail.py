"""Every email the portal sends is built here: subject, text and HTML rendered from
templates that share one layout (the agency's name, an automatic-message footer),
and the headers that keep auto-replies and out-of-office loops away.

``email_message(template=..., context=..., to=...)`` renders ``<template>.txt``
and ``<template>.html`` (HTML made from the text when an HTML template does not
exist) and ``<template>_subject.txt`` unless a subject is given. allauth's
adapter goes through it too (portal/adapters.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .validators import one_line, shown_in_email_context

# RFC 3834: a message sent by software, not a person. Mail servers and clients
# do not answer it with out-of-office replies; X-Auto-Response-Suppress is
# Exchange's spelling of the same request.
AUTO_HEADERS = {
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
}


def agency_name() -> str:
    """The agency's name for emails: the Agency record, else AGENCY_NAME, else the
    product's name."""
    from .models import Agency

    name = Agency.objects.order_by("pk").values_list("name", flat=True).first()
    return name or getattr(settings, "AGENCY_NAME", "") or "Milieu"


def email_context(context: dict[str, Any] | None = None) -> dict[str, Any]:
    """``context`` with what the shared layout needs (agency name, site URL)."""
    shared = {"agency_name": agency_name(), "site_url": settings.SITE_URL}
    shared.update(context or {})
    return shared


def email_message(
    *,
    template: str,
    context: dict[str, Any],
    to: list[str],
    subject: str | None = None,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """One email with text and HTML parts, rendered from ``template`` (a prefix),
    with the automatic-message headers; not sent."""
    # Names from old rows may hold a line break or a right-to-left override: the
    # body shows them on one line, as the subject does.
    ctx = shown_in_email_context(email_context(context))
    if subject is None:
        subject = render_to_string(f"{template}_subject.txt", ctx)
    text = render_to_string(f"{template}.txt", ctx).strip() + "\n"
    try:
        html = render_to_string(f"{template}.html", ctx)
    except TemplateDoesNotExist:
        html = render_to_string("email/from_text.html", {**ctx, "text": text.strip()})
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=from_email,
        to=to,
        headers={**AUTO_HEADERS, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message
