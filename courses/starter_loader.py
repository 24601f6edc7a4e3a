"""Load the starter courses (the YAML files in ``courses/starter/``, read and
checked by ``course_files``) into the Wagtail page tree.

Additive only: a shipped course is created when it is missing; once it exists it
belongs to the agency's authors and is never overwritten. ``update=True`` brings
a newer shipped text in as a draft revision (never published) for an author to
review. Running it again changes nothing, and never bumps a course's version.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .course_files import STARTER_DIR, read_course_files
from .models import (
    AttestationPage,
    CoursePage,
    LessonPage,
    QuizPage,
    TrainingLibraryPage,
)

LIBRARY_SLUG = "training"


def _site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    # A database emptied by hand (or by a test's flush) has no default locale.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().filter(slug="home").first()
    if home is None:
        home = root.add_child(instance=Page(title="Milieu", slug="home"))
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name=settings.WAGTAIL_SITE_NAME,
    )
    return home


def library_page() -> TrainingLibraryPage:
    """The training library page, created under the site root if missing."""
    page = TrainingLibraryPage.objects.first()
    if page is not None:
        return page
    page = _create_library()
    library_grant_authors(library=page)
    return page


def library_grant_authors(*, library: Page) -> None:
    """Authors (and HR) may add, edit and publish pages under the library."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from portal.roles import Role

    perms = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=["add_page", "change_page", "publish_page"],
    )
    for role in (Role.AUTHOR, Role.HR):
        group, _ = Group.objects.get_or_create(name=role.value)
        for perm in perms:
            GroupPagePermission.objects.get_or_create(
                group=group, page=library, permission=perm
            )


def _create_library() -> TrainingLibraryPage:
    parent = _site_root()
    page = TrainingLibraryPage(
        title="Training library",
        slug=LIBRARY_SLUG,
        intro="<p>Courses for every job role at the agency.</p>",
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _create(parent: Page, model, slug: str, fields: dict, *, live: bool = True):
    """Add ``parent``'s child ``slug``; published when ``live``, else a draft."""
    page = model(slug=slug, live=live, **fields)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def _differs(page: Page, fields: dict) -> bool:
    """Whether ``fields`` differ from the page's latest revision (the draft an
    author sees in the CMS, or the live page when there is none)."""
    latest = page
    if page.latest_revision_id:
        latest = page.get_latest_revision_as_object()
    for name, value in fields.items():
        current = getattr(latest, name)
        if hasattr(current, "raw_data"):  # a StreamValue: compare block data
            if _plain(list(current.raw_data)) != _plain(value):
                return True
        elif current != value:
            return True
    return False


def _upsert(
    parent: Page, model, slug: str, fields: dict, *, update: bool = False
) -> Page:
    """Create ``parent``'s child ``slug`` when it is missing (a draft when
    ``update`` adds it to an existing course). An existing page is never changed,
    except that ``update`` saves the shipped text as a draft revision when it
    differs from the latest one."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        return _create(parent, model, slug, fields, live=not update)
    page = existing.specific
    if update and _differs(page, fields):
        draft = page
        if page.latest_revision_id:
            draft = page.get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.save_revision(log_action=True)
    return page


def _stream(items) -> list[dict]:
    return [{"type": t, "value": v, "id": str(uuid.uuid4())} for t, v in items]


def _lesson_body(body) -> list[tuple[str, object]]:
    out = []
    for block_type, value in body:
        if block_type == "check":
            value = {
                "question": value["question"],
                "choices": list(value["choices"]),
                "answer": value["answer"],
                "explanation": value.get("explanation", ""),
            }
        out.append((block_type, value))
    return out


def _questions(quiz: dict) -> list[tuple[str, dict]]:
    return [
        (
            q["kind"],
            {
                "prompt": q["prompt"],
                "objective": q.get("objective", ""),
                "choices": [
                    {
                        "text": c["text"],
                        "correct": bool(c["correct"]),
                        "feedback": c.get("feedback", ""),
                    }
                    for c in q["choices"]
                ],
            },
        )
        for q in quiz["questions"]
    ]


def _with_ids(
    existing_page, name: str, items: Sequence[tuple[str, object]]
) -> list[dict]:
    """Stream data for ``items``, keeping the ids of the existing page's blocks so an
    unchanged reload compares equal and open quiz attempts keep their questions."""
    old_ids = []
    if existing_page is not None:
        old_ids = [b.get("id") for b in getattr(existing_page, name).raw_data]
    data = _stream(items)
    for i, block in enumerate(data):
        if i < len(old_ids) and old_ids[i]:
            block["id"] = old_ids[i]
    return data


def _plain(data):
    """Stream data without block ids or list-item wrappers, for comparing."""
    if isinstance(data, dict):
        if data.get("type") == "item" and "value" in data:
            return _plain(data["value"])
        return {k: _plain(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    return data


@transaction.atomic
def load_course(
    data: dict, *, library: TrainingLibraryPage | None = None, update: bool = False
) -> CoursePage:
    """Create one shipped course with its lessons, quiz and attestation when it is
    missing. An existing course is left as it is; with ``update`` each page whose
    shipped text differs gets it as a draft revision for an author to publish."""
    library = library or library_page()

    def existing(parent, slug):
        page = parent.get_children().filter(slug=slug).first() if parent else None
        return page.specific if page else None

    old_course = existing(library, data["slug"])
    if old_course is not None and not update:
        return old_course
    # Children of a course that already exists arrive as drafts, never live.
    drafts = old_course is not None
    course = _upsert(
        library,
        CoursePage,
        data["slug"],
        {
            "title": data["title"],
            "summary": data["summary"],
            "estimated_minutes": data["estimated_minutes"],
            "ce_hours": (
                Decimal(str(data["ce_hours"])) if data["ce_hours"] is not None else None
            ),
            "retrain_months": data["retrain_months"],
            "objectives": _with_ids(
                old_course,
                "objectives",
                [("objective", o) for o in data["objectives"]],
            ),
            "sources": _with_ids(
                old_course, "sources", [("source", s) for s in data["sources"]]
            ),
        },
        update=drafts,
    )
    if old_course is None:
        wanted_tags = sorted(set(data.get("tags", [])))
        if wanted_tags:
            course.tags.set(wanted_tags)
            course.save_revision().publish()

    for number, lesson in enumerate(data["lessons"], start=1):
        slug = f"lesson-{number}"
        old = existing(course, slug)
        _upsert(
            course,
            LessonPage,
            slug,
            {
                "title": lesson["title"],
                "intro": lesson.get("intro", ""),
                "body": _with_ids(old, "body", _lesson_body(lesson["body"])),
            },
            update=drafts,
        )
    quiz = data["quiz"]
    old_quiz = existing(course, "quiz")
    _upsert(
        course,
        QuizPage,
        "quiz",
        {
            "title": quiz["title"],
            "intro": quiz.get("intro", ""),
            "pass_mark": quiz["pass_mark"],
            "attempts_allowed": quiz["attempts_allowed"],
            "shuffle": quiz["shuffle"],
            "questions": _with_ids(old_quiz, "questions", _questions(quiz)),
        },
        update=drafts,
    )
    attestation = data.get("attestation")
    if attestation:
        _upsert(
            course,
            AttestationPage,
            "attestation",
            {
                "title": attestation["title"],
                "policy_version": attestation["policy_version"],
                "body": attestation["body"],
                "statement": attestation["statement"],
            },
            update=drafts,
        )
    return course


def load_starter_courses(
    *, directory: Path = STARTER_DIR, update: bool = False
) -> list[CoursePage]:
    """Create every missing course of ``directory``; with ``update``, bring newer
    shipped texts in as drafts. Returns the course pages. Every file is checked
    first, so a broken one raises ``CourseFileError`` and loads nothing."""
    courses = read_course_files(directory)
    library = library_page()
    library_grant_authors(library=library)
    return [load_course(data, library=library, update=update) for data in courses]
