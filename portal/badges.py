"""Every status word the portal shows, defined once: its word, its icon (inline
SVG, so it renders the same in every browser) and its tone (the color).

Templates draw them with ``{% badge "current" %}`` (portal/templatetags/badges.py);
Python code that builds many cells at once calls :func:`badge_html`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Badge:
    word: str
    icon: str  # a key of ICONS
    tone: str  # ok | warn | bad | info | neutral: a CSS class badge-<tone>


# 16×16 strokes drawn in the text color (currentColor).
ICONS: dict[str, str] = {
    "check": '<path d="M3 8.5 6.5 12 13 4.5"/>',
    "clock": '<circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.5 1.5"/>',
    "cross": '<circle cx="8" cy="8" r="6"/><path d="m5.8 5.8 4.4 4.4m0-4.4-4.4 4.4"/>',
    "empty": '<circle cx="8" cy="8" r="5.5" stroke-dasharray="2.2 1.8"/>',
    "hourglass": '<path d="M4.5 2h7m-7 12h7M5.5 2c0 4 5 4 5 6s-5 2-5 6m5-12c0 4-5 4-5 6s5 2 5 6"/>',  # noqa: E501
    "calendar": '<rect x="2.5" y="3.5" width="11" height="10" rx="1.5"/><path d="M2.5 6.5h11M5.5 2v3m5-3v3"/>',  # noqa: E501
    "alert": '<path d="M8 2.2 14.2 13H1.8z"/><path d="M8 6.5v3m0 1.8v.2"/>',
    "star": '<path d="m8 2 1.8 3.8 4.1.5-3 2.8.8 4.1L8 11.2l-3.7 2 .8-4.1-3-2.8 4.1-.5z"/>',  # noqa: E501
    "minus": '<path d="M4 8h8"/>',
    "plus": '<path d="M8 3.5v9M3.5 8h9"/>',
    "pencil": '<path d="m10.5 2.5 3 3L6 13H3v-3z"/>',
    "equals": '<path d="M4 6h8M4 10h8"/>',
}

BADGES: dict[str, Badge] = {
    # A requirement's status (portal.requirements.Status).
    "current": Badge("Current", "check", "ok"),
    "expiring": Badge("Expiring", "clock", "warn"),
    "expired": Badge("Expired", "cross", "bad"),
    "missing": Badge("Missing", "empty", "bad"),
    "pending_verification": Badge("Pending verification", "hourglass", "warn"),
    "due": Badge("Due", "calendar", "info"),
    "overdue": Badge("Overdue", "alert", "bad"),
    "goal": Badge("Goal", "star", "neutral"),
    # A person's readiness.
    "ready": Badge("Ready", "check", "ok"),
    "not_ready": Badge("Not ready", "cross", "bad"),
    "compliant": Badge("Compliant", "check", "ok"),
    "not_compliant": Badge("Not compliant", "alert", "warn"),
    "before_first_shift": Badge("Before first shift", "star", "info"),
    "not_on_staff": Badge("Not on staff", "minus", "neutral"),
    # Courses, quizzes, policies.
    "completed": Badge("Completed", "check", "ok"),
    "done": Badge("Done", "check", "ok"),
    "to_do": Badge("To do", "empty", "neutral"),
    "passed": Badge("Passed", "check", "ok"),
    "not_passed": Badge("Not passed", "cross", "bad"),
    "right": Badge("Right", "check", "ok"),
    "wrong": Badge("Wrong", "cross", "bad"),
    "no_attempts_left": Badge("No attempts left", "cross", "bad"),
    "signed": Badge("Signed", "check", "ok"),
    "valid_certificate": Badge("Valid certificate", "check", "ok"),
    # Skills.
    "met": Badge("Met", "check", "ok"),
    "needs_practice": Badge("Needs practice", "alert", "warn"),
    # Credentials on file.
    "pending": Badge("Pending verification", "hourglass", "warn"),
    "verified": Badge("Verified", "check", "ok"),
    "rejected": Badge("Rejected", "cross", "bad"),
    "replaced": Badge("Replaced", "minus", "neutral"),
    # A person's employment.
    "active": Badge("Active", "check", "ok"),
    "on_leave": Badge("On leave", "minus", "neutral"),
    "deactivated": Badge("Deactivated", "minus", "warn"),
    "terminated": Badge("Terminated", "cross", "neutral"),
    # Staff import preview.
    "create": Badge("Create", "plus", "ok"),
    "change": Badge("Change", "pencil", "info"),
    "unchanged": Badge("Unchanged", "equals", "neutral"),
    "warning": Badge("Warning", "alert", "warn"),
}
NEUTRAL = Badge("", "", "neutral")


_SVG_OPEN = (
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" '
    'aria-hidden="true" focusable="false" fill="none" stroke="currentColor" '
    'stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">'
)


def icon_svg(name: str, *, sprite: bool = False) -> str:
    """An inline SVG icon, hidden from screen readers (the word says it).
    ``sprite``: a reference to the page's ``icon_sprite()`` (a few bytes instead
    of the paths: for pages that draw hundreds of badges)."""
    paths = ICONS.get(name)
    if not paths:
        return ""
    if sprite:
        return (
            '<svg class="icon" width="16" height="16" aria-hidden="true" '
            f'focusable="false"><use href="#icon-{name}"/></svg>'
        )
    return f"{_SVG_OPEN}{paths}</svg>"


def icon_sprite() -> str:
    """Every icon once, as <symbol>s that ``icon_svg(name, sprite=True)`` uses."""
    symbols = "".join(
        f'<symbol id="icon-{name}" viewBox="0 0 16 16" fill="none" '
        'stroke="currentColor" stroke-width="1.6" stroke-linecap="round" '
        f'stroke-linejoin="round">{paths}</symbol>'
        for name, paths in ICONS.items()
    )
    return f'<svg hidden aria-hidden="true" style="display:none">{symbols}</svg>'


def badge_word(key: str) -> str:
    return BADGES[key].word if key in BADGES else str(key).replace("_", " ")


@functools.lru_cache(maxsize=1024)
def _badge_parts(key: str, label: str | None, sprite: bool) -> tuple[str, str]:
    """The badge's markup before and after its title attribute (built once)."""
    b = BADGES.get(key, NEUTRAL)
    text = escape(label if label is not None else badge_word(key))
    return (
        f'<span class="badge badge-{b.tone}" data-status="{escape(key)}"',
        f">{icon_svg(b.icon, sprite=sprite)}{text}</span>",
    )


def badge_html(
    key: str, *, label: str | None = None, title: str = "", sprite: bool = False
) -> str:
    """One badge: icon + word (never color alone). ``label`` replaces the word,
    e.g. "Expires in 3 days" keeps the look of "expiring"; ``sprite``: see
    ``icon_svg``."""
    head, tail = _badge_parts(key, label, sprite)
    title_attr = f' title="{escape(title)}"' if title else ""
    return f"{head}{title_attr}{tail}"
