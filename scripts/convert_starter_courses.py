"""One-off: write courses/starter/*.py (COURSE dicts) as courses/starter/<slug>.yaml."""

import re
import sys
import textwrap
from pathlib import Path

import yaml

sys.path.insert(0, ".")
from courses.starter import COURSES  # noqa: E402

BLOCK_TAGS = r"(</p>|</li>|<ul>|<ol>|</ul>|</ol>|</h3>|</h4>)"


class Literal(str):
    pass


class Folded(str):
    pass


def html_lines(html: str) -> str:
    parts = re.split(BLOCK_TAGS, html)
    lines, cur = [], ""
    for part in parts:
        cur += part
        if re.fullmatch(BLOCK_TAGS, part):
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    out = []
    for line in lines:
        # Whitespace inside HTML is one space, so wrapping at spaces changes nothing.
        out.extend(
            textwrap.wrap(
                line, width=84, break_long_words=False, break_on_hyphens=False
            )
            or [""]
        )
    return "\n".join(out)


def style(value):
    if isinstance(value, dict):
        return {k: style(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [style(v) for v in value]
    if isinstance(value, str):
        if value.lstrip().startswith("<") and len(value) > 60:
            return Literal(html_lines(value))
        if len(value) > 70:
            return Folded(value)
    return value


def convert(course: dict) -> dict:
    out = dict(course)
    out["lessons"] = [
        {**lesson, "body": [{"type": t, "value": v} for t, v in lesson["body"]]}
        for lesson in course["lessons"]
    ]
    for lesson in out["lessons"]:
        for block in lesson["body"]:
            if block["type"] == "vignette":
                block["value"] = {**block["value"], "model_answer": ""}
    out.pop("estimated_minutes", None)
    return style(out)


class Dumper(yaml.SafeDumper):
    pass


Dumper.add_representer(
    Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|")
)
Dumper.add_representer(
    Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style=">")
)

for course in COURSES:
    data = convert(course)
    path = Path("courses/starter") / f"{course['slug']}.yaml"
    text = yaml.dump(
        data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=88, indent=2
    )
    path.write_text(text, encoding="utf-8")
    print(path, len(text.splitlines()))  # noqa: T201
