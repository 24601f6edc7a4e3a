"""``{% badge "current" %}``: the one way templates draw a status badge."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from portal.badges import badge_html, icon_svg

register = template.Library()


@register.simple_tag
def badge(key, label=None, title="") -> SafeString:
    """``{% badge status %}``, ``{% badge "expiring" "Expires in 3 days" %}``."""
    text = None if label in (None, "") else str(label)
    return mark_safe(badge_html(str(key), label=text, title=str(title or "")))  # noqa: S308


@register.simple_tag
def icon(name) -> SafeString:
    return mark_safe(icon_svg(str(name)))  # noqa: S308
