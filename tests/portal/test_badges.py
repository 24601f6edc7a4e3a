"""One vocabulary: each status word is defined once with its icon and color, and
every page draws it the same way (inline SVG, never an emoji or a symbol font)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from portal.badges import BADGES, ICONS, badge_html
from portal.requirements import Status

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [
    p
    for app in (
        "portal",
        "courses",
        "credentials",
        "skills",
        "compliance",
        "templates",
    )
    for p in (ROOT / app).rglob("*.html")
    if "email" not in p.parts and not p.name.endswith("_pdf.html")
]


@pytest.mark.parametrize("key", sorted(BADGES))
def test_each_badge_has_a_word_an_svg_icon_and_a_tone(key):
    html = badge_html(key)
    badge = BADGES[key]
    assert badge.icon in ICONS
    assert f'class="badge badge-{badge.tone}"' in html
    assert '<svg class="icon"' in html and 'aria-hidden="true"' in html
    assert html.endswith(f"{badge.word}</span>")


def test_requirement_statuses_use_the_same_words():
    for status, word in Status.LABELS.items():
        assert BADGES[status].word == word


def test_the_template_tag_draws_the_same_badge_and_escapes_labels():
    out = Template(
        '{% load badges %}{% badge "expiring" label %}|{% badge status %}'
    ).render(Context({"label": "<b>3 days left</b>", "status": "current"}))
    first, second = out.split("|")
    assert "&lt;b&gt;3 days left&lt;/b&gt;" in first and "badge-warn" in first
    assert second == badge_html("current")


def test_no_template_draws_a_status_badge_by_hand():
    hand_made = re.compile(r'<span class="badge[^"]*"><span aria-hidden="true">')
    symbols = re.compile("[⏳✓✗◔○◷★⚑✎]")
    offenders = [
        str(p.relative_to(ROOT))
        for p in TEMPLATES
        if hand_made.search(p.read_text())
        or symbols.search(re.sub(r"\{#.*?#\}", "", p.read_text()))
    ]
    assert offenders == []


def test_one_term_for_the_next_due_date():
    words = re.compile(r"again by|re-train by|recheck by", re.IGNORECASE)
    sources = [
        *(ROOT / "courses").glob("*.py"),
        *(ROOT / "skills").glob("*.py"),
        *(ROOT / "compliance").glob("*.py"),
        *TEMPLATES,
    ]
    assert [str(p) for p in sources if words.search(p.read_text())] == []


def test_sprite_badges_point_at_icons_the_sprite_defines():
    """The matrix draws hundreds of badges as references to one sprite: each
    reference names a symbol the sprite holds, and the word is still there."""
    import re

    from portal.badges import BADGES, badge_html, icon_sprite

    sprite = icon_sprite()
    defined = set(re.findall(r'<symbol id="([\w-]+)"', sprite))
    for key, badge in BADGES.items():
        html = badge_html(key, title="why", sprite=True)
        used = re.findall(r'<use href="#([\w-]+)"/>', html)
        assert used == [f"icon-{badge.icon}"]
        assert used[0] in defined
        assert html.endswith(f"{badge.word}</span>") and 'title="why"' in html
        assert "<path" not in html
