"""Courses as data: read the YAML course files in ``courses/starter/``, check each
against the page and block rules, and hand back the course dicts ``load_course``
takes. Every problem is reported with its file and place, and nothing is loaded
while any file has one.

A file is the mapping ``load_course`` takes (slug, title, summary, ce_hours,
retrain_months, tags, objectives, lessons, quiz, sources, attestation, and an
optional estimated_minutes), except that each lesson body item is written
``{type: <block name>, value: <value>}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from wagtail import blocks

from .blocks import LessonStreamBlock, ObjectiveBlock, QuestionStreamBlock
from .models import AttestationPage, CoursePage, LessonPage, QuizPage

STARTER_DIR = Path(__file__).resolve().parent / "starter"

REQUIRED_KEYS = ("slug", "title", "summary", "objectives", "lessons", "quiz", "sources")
OPTIONAL_KEYS: dict[str, Any] = {
    "ce_hours": None,
    "retrain_months": None,
    "tags": [],
    "attestation": None,
    "estimated_minutes": None,
}
LESSON_KEYS = {"title", "intro", "body"}
QUIZ_KEYS = {"title", "intro", "pass_mark", "attempts_allowed", "shuffle", "questions"}
QUESTION_KEYS = {"kind", "prompt", "objective", "choices"}
CHOICE_KEYS = {"text", "correct", "feedback"}
ATTESTATION_KEYS = {"title", "policy_version", "body", "statement"}
# Blocks that point at an uploaded file cannot be written in a course file.
UPLOAD_BLOCKS = {"image", "document"}


class CourseFileError(Exception):
    """One or more course files break the rules; ``errors`` lists each problem as
    ``<file>: <place>: <what is wrong>``."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def course_file_paths(directory: Path = STARTER_DIR) -> list[Path]:
    """Every course file in ``directory``, sorted by name."""
    return sorted(directory.glob("*.yaml"))


def read_course_files(directory: Path = STARTER_DIR) -> list[dict]:
    """Read and check every course file; raise ``CourseFileError`` listing every
    problem in every file, or return the course dicts in file-name order."""
    errors: list[str] = []
    courses: list[dict] = []
    seen: dict[str, str] = {}
    for path in course_file_paths(directory):
        try:
            course = read_course_file(path)
        except CourseFileError as exc:
            errors.extend(exc.errors)
            continue
        slug = course["slug"]
        if slug in seen:
            errors.append(
                f"{path.name}: slug: '{slug}' is already used by {seen[slug]}"
            )
            continue
        seen[slug] = path.name
        courses.append(course)
    if errors:
        raise CourseFileError(errors)
    return courses


def read_course_file(path: Path) -> dict:
    """One course file, checked and translated into ``load_course``'s dict."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseFileError(
            [f"{path.name}: not valid YAML{where}: {problem}"]
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseFileError([f"{path.name}: cannot be read: {exc}"]) from exc
    problems = course_problems(data)
    if problems:
        raise CourseFileError([f"{path.name}: {p}" for p in problems])
    return to_course_dict(data)


def to_course_dict(data: dict) -> dict:
    """A checked file's mapping as ``load_course`` takes it: lesson bodies as
    ``(block name, value)`` pairs and the optional keys filled in."""
    course = {key: data.get(key, default) for key, default in OPTIONAL_KEYS.items()}
    course.update({key: data[key] for key in REQUIRED_KEYS})
    course["lessons"] = [
        {
            "title": lesson["title"],
            "intro": lesson.get("intro", ""),
            "body": [(item["type"], item["value"]) for item in lesson["body"]],
        }
        for lesson in data["lessons"]
    ]
    return course


# --- Checks ------------------------------------------------------------------------


def course_problems(data: Any) -> list[str]:
    """Every rule ``data`` (a parsed course file) breaks, as ``<place>: <problem>``."""
    if not isinstance(data, dict):
        return ["a course file is a mapping of keys (slug, title, ...)"]
    out: list[str] = []
    out += _keys("", data, required=set(REQUIRED_KEYS), optional=set(OPTIONAL_KEYS))
    for name, model in (
        ("slug", CoursePage),
        ("title", CoursePage),
        ("summary", CoursePage),
        ("ce_hours", CoursePage),
        ("retrain_months", CoursePage),
        ("estimated_minutes", CoursePage),
    ):
        if name in data:
            out += _field(name, model, name, data[name])
    if "tags" in data:
        tags = data["tags"]
        if not isinstance(tags, list) or not all(
            isinstance(t, str) and 0 < len(t) <= 100 for t in tags
        ):
            out.append("tags: a list of short words (each up to 100 characters)")

    objective_keys: set[Any] = set()  # as written: a missing key is reported
    for i, objective in _items(out, "objectives", data.get("objectives")):
        place = f"objectives[{i}]"
        if isinstance(objective, dict):
            out += _keys(place, objective, required={"key", "text"})
            key = objective.get("key")
            if key in objective_keys:
                out.append(f"{place}.key: '{key}' is used by another objective")
            objective_keys.add(key)
        out += _block(place, ObjectiveBlock(), objective)

    lessons = list(_items(out, "lessons", data.get("lessons"), at_least=1))
    for i, lesson in lessons:
        out += _lesson(f"lessons[{i}]", lesson)

    if "quiz" in data:
        out += _quiz("quiz", data["quiz"], objective_keys)

    source_block = blocks.CharBlock(max_length=400)
    for i, source in _items(out, "sources", data.get("sources"), at_least=1):
        out += _block(f"sources[{i}]", source_block, source, kind=str)

    attestation = data.get("attestation")
    if attestation is not None:
        if not isinstance(attestation, dict):
            out.append("attestation: null, or a mapping of title, policy_version, ...")
        else:
            out += _keys("attestation", attestation, required=ATTESTATION_KEYS)
            for name in ATTESTATION_KEYS & set(attestation):
                out += _field(
                    f"attestation.{name}", AttestationPage, name, attestation[name]
                )
    return out


def _lesson(place: str, lesson: Any) -> list[str]:
    if not isinstance(lesson, dict):
        return [f"{place}: a lesson is a mapping of title, intro and body"]
    out = _keys(place, lesson, required={"title", "body"}, optional={"intro"})
    for name in ("title", "intro"):
        if name in lesson:
            out += _field(f"{place}.{name}", LessonPage, name, lesson[name])
    stream = LessonStreamBlock()
    for j, item in _items(out, f"{place}.body", lesson.get("body"), at_least=1):
        where = f"{place}.body[{j}]"
        if not isinstance(item, dict) or set(item) != {"type", "value"}:
            out.append(
                f"{where}: a body item is a mapping of exactly 'type' and 'value'"
            )
            continue
        name, value = item["type"], item["value"]
        if name not in stream.child_blocks:
            known = ", ".join(stream.child_blocks)
            out.append(f"{where}: unknown block type '{name}' (one of: {known})")
        elif name in UPLOAD_BLOCKS:
            out.append(
                f"{where}: a '{name}' block needs an uploaded file; add it in the CMS"
            )
        elif name == "video":
            if not isinstance(value, str) or not value.startswith("https://"):
                out.append(f"{where}.value: a video is an https:// link")
        elif name == "vignette":
            out += _vignette(where, value)
        elif name == "check":
            out += _check(where, value)
        else:
            out += _block(f"{where}.value", stream.child_blocks[name], value, kind=str)
    return out


def _vignette(where: str, value: Any) -> list[str]:
    block = LessonStreamBlock().child_blocks["vignette"]
    if not isinstance(value, dict):
        return [
            f"{where}.value: a vignette is a mapping of scenario, question and "
            "model_answer"
        ]
    out = _keys(
        f"{where}.value", value, required={"scenario", "question", "model_answer"}
    )
    out += _block(f"{where}.value", block, value)
    if "model_answer" in value and not str(value["model_answer"] or "").strip():
        out.append(
            f"{where}.value.model_answer: empty (write the answer learners compare "
            "their own with)"
        )
    return out


def _check(where: str, value: Any) -> list[str]:
    block = LessonStreamBlock().child_blocks["check"]
    if not isinstance(value, dict):
        return [f"{where}.value: a check is a mapping of question, choices, answer"]
    out = _keys(
        f"{where}.value",
        value,
        required={"question", "choices", "answer"},
        optional={"explanation"},
    )
    out += _block(f"{where}.value", block, value)
    choices, answer = value.get("choices"), value.get("answer")
    if isinstance(choices, list) and len(choices) < 2:
        out.append(f"{where}.value.choices: give at least two choices")
    if isinstance(choices, list) and isinstance(answer, int):
        if not 0 <= answer < len(choices):
            out.append(
                f"{where}.value.answer: {answer} is not a choice (count from 0; "
                f"there are {len(choices)})"
            )
    return out


def _quiz(place: str, quiz: Any, objective_keys: set[str]) -> list[str]:
    if not isinstance(quiz, dict):
        return [f"{place}: the quiz is a mapping of title, pass_mark, questions, ..."]
    out = _keys(place, quiz, required=QUIZ_KEYS - {"intro"}, optional={"intro"})
    for name in QUIZ_KEYS - {"questions"}:
        if name in quiz:
            out += _field(f"{place}.{name}", QuizPage, name, quiz[name])
    stream = QuestionStreamBlock()
    for i, question in _items(out, f"{place}.questions", quiz.get("questions"), 1):
        where = f"{place}.questions[{i}]"
        if not isinstance(question, dict):
            out.append(f"{where}: a question is a mapping of kind, prompt, ...")
            continue
        out += _keys(where, question, required=QUESTION_KEYS)
        kind = question.get("kind")
        if kind not in stream.child_blocks:
            known = ", ".join(stream.child_blocks)
            out.append(
                f"{where}.kind: unknown question kind '{kind}' (one of: {known})"
            )
            continue
        objective = question.get("objective")
        if objective is not None and objective not in objective_keys:
            out.append(f"{where}.objective: no objective has the key '{objective}'")
        choices = question.get("choices")
        if isinstance(choices, list):
            for j, choice in enumerate(choices):
                if isinstance(choice, dict):
                    out += _keys(
                        f"{where}.choices[{j}]",
                        choice,
                        required={"text", "correct"},
                        optional={"feedback"},
                    )
                    if not isinstance(choice.get("correct"), bool):
                        out.append(f"{where}.choices[{j}].correct: true or false")
            if kind in ("single", "true_false"):
                right = sum(
                    1 for c in choices if isinstance(c, dict) and c.get("correct")
                )
                if right != 1:
                    out.append(
                        f"{where}.choices: a '{kind}' question needs exactly one "
                        f"correct choice (it has {right})"
                    )
                    continue
        value = {k: v for k, v in question.items() if k in QUESTION_KEYS - {"kind"}}
        out += _block(where, stream.child_blocks[kind], value)
    return out


# --- Helpers -----------------------------------------------------------------------


def _keys(
    place: str, data: dict, *, required: set[str], optional: Iterable[str] = ()
) -> list[str]:
    prefix = f"{place}." if place else ""
    out = [f"{prefix}{k}: missing" for k in sorted(required - set(data))]
    unknown = set(data) - required - set(optional)
    out += [f"{prefix}{k}: unknown key" for k in sorted(unknown, key=str)]
    return out


def _items(out: list[str], place: str, value: Any, at_least: int = 0):
    """The (index, item) pairs of a list, noting in ``out`` when it is not one."""
    if value is None and at_least == 0:
        return []
    if not isinstance(value, list):
        out.append(f"{place}: a list is expected")
        return []
    if len(value) < at_least:
        out.append(f"{place}: at least {at_least} expected")
    return list(enumerate(value))


def _field(place: str, model, name: str, value: Any) -> list[str]:
    """Check ``value`` against the model field's own rules (length, range, type)."""
    field = model._meta.get_field(name)
    if isinstance(value, bool) and field.get_internal_type() != "BooleanField":
        return [f"{place}: {value!r} is not a valid value"]
    try:
        field.clean(value, None)
    except ValidationError as exc:
        return [f"{place}: {m}" for m in exc.messages]
    return []


def _block(place: str, block: blocks.Block, value: Any, kind: type | None = None):
    """Check ``value`` against a stream block's own rules (``clean``)."""
    if kind is not None and not isinstance(value, kind):
        return [f"{place}: {kind.__name__} expected, not {type(value).__name__}"]
    if isinstance(block, blocks.StructBlock) and not isinstance(value, dict):
        return [f"{place}: a mapping is expected"]
    try:
        block.clean(block.to_python(value))
    except ValidationError as exc:
        return [f"{place}{sub}: {message}" for sub, message in _flatten(exc)]
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        return [f"{place}: cannot be read ({exc})"]
    return []


def _flatten(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """(place, message) for each message in a (nested) block validation error."""
    out: list[tuple[str, str]] = []
    block_errors = getattr(exc, "block_errors", None)
    if block_errors is not None:
        for key, error in block_errors.items():
            sub = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}"
            out += _flatten(error, sub)
        # A StreamBlockValidationError (Wagtail's, untyped) has non_block_errors.
        for error in exc.non_block_errors.as_data():  # type: ignore[attr-defined]
            out += [(prefix, m) for m in error.messages]
        return out
    return [(prefix, m) for m in exc.messages]
