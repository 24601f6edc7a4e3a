"""The architecture page is true: every dotted name it cites in backticks
(``module.name``, ``module.Class.attribute``) can be imported."""

import importlib
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
# `portal.queue.enqueue`, `credentials.reminders.reminder_scan(today=...)`;
# file names (`models.py`) are not dotted names.
CITED = re.compile(r"`([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\([^`]*\))?`")
FILE_ENDINGS = (".py", ".md", ".html", ".yaml", ".txt", ".css", ".js")


def cited_names() -> list[str]:
    names = {m.group(1) for m in CITED.finditer(PAGE.read_text())}
    return sorted(n for n in names if not n.endswith(FILE_ENDINGS))


def resolve(name: str) -> object:
    """Import the longest module prefix of ``name``, then its attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(name)


def test_the_page_cites_dotted_names():
    assert len(cited_names()) >= 10


@pytest.mark.parametrize("name", cited_names())
def test_every_dotted_name_on_the_architecture_page_imports(name):
    assert resolve(name) is not None
