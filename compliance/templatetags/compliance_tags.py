"""Status cells built in Python: the matrix has hundreds of them per page, and a
template include per cell costs more than the whole database work."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from portal.badges import badge_html, icon_sprite

register = template.Library()

NOT_REQUIRED = (
    '<span class="muted" title="Not required for this job role">—'
    '<span class="visually-hidden">not required</span></span>'
)


def cell_html(cell, *, sprite: bool = False) -> str:
    """A status badge with an icon and a word (never color alone); ``sprite``:
    the icon refers to the page's sprite (``icon_sprite``)."""
    if cell is None:
        return NOT_REQUIRED
    return badge_html(cell.status, title=cell.detail, sprite=sprite) + booked_html(cell)


def booked_html(cell) -> str:
    """ "booked for Jan 12" next to an unmet or expiring item with a class seat
    (the status word itself stays as it is)."""
    booked_on = (getattr(cell, "extra", None) or {}).get("booked_on")
    if not booked_on or cell.status == "current":
        return ""
    from django.utils.formats import date_format

    day = date_format(booked_on, "MONTH_DAY_FORMAT")
    return f' <span class="booked-note">booked for {day}</span>'


def verdicts_html(readiness) -> str:
    if not getattr(readiness, "on_staff", True):
        return badge_html("not_on_staff")
    ready = "ready" if readiness.ready_for_floor else "not_ready"
    compliant = "compliant" if readiness.fully_compliant else "not_compliant"
    return f"{badge_html(ready)} {badge_html(compliant)}"


@register.filter
def status_cell(cell) -> SafeString:
    return mark_safe(cell_html(cell))  # noqa: S308 - every value is escaped above


@register.filter
def verdicts(readiness) -> SafeString:
    return mark_safe(verdicts_html(readiness))  # noqa: S308


@register.simple_tag
def icons_sprite() -> SafeString:
    """The icons that ``matrix_cells`` refers to, once per page."""
    return mark_safe(icon_sprite())  # noqa: S308 - constant markup


@register.simple_tag
def matrix_cells(row, columns) -> SafeString:
    """The row's <td> cells in column order, each once: a table cell on wide
    screens, a labelled line of the person's card on phones (data-label)."""
    parts = []
    for column, cell in zip(columns, row.ordered, strict=True):
        label = escape(column.label)
        css = "cell na" if cell is None else "cell"
        html = cell_html(cell, sprite=True)
        parts.append(f'<td class="{css}" data-label="{label}">{html}</td>')
    return mark_safe("".join(parts))  # noqa: S308


@register.filter
def select_options(bound_field) -> SafeString:
    """<option>s of a choice field, built without one template per option."""
    current = bound_field.value()
    if isinstance(current, list | tuple):
        selected = {str(v) for v in current}
    else:
        selected = {"" if current is None else str(current)}
    parts = []
    for value, label in _choices(bound_field.field):
        value = str(getattr(value, "value", value))
        flag = " selected" if value in selected else ""
        parts.append(f'<option value="{escape(value)}"{flag}>{escape(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308


def _choices(field) -> list:
    """A field's choices; a model choice field's from one plain read of its
    queryset (its own iterator opens a server-side cursor on PostgreSQL: a
    round trip more per list)."""
    queryset = getattr(field, "queryset", None)
    if queryset is None or queryset._prefetch_related_lookups:
        return list(field.choices)
    choices = []
    if field.empty_label is not None:
        choices.append(("", field.empty_label))
    if getattr(field, "null_label", None) is not None:
        choices.append((field.null_value, field.null_label))
    choices += [
        (field.prepare_value(obj), field.label_from_instance(obj))
        for obj in queryset.all()
    ]
    return choices
