"""Courses as data: every shipped course file loads and passes the page and block
rules; a broken file is named with the place of each problem and loads nothing."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from courses.course_files import (
    STARTER_DIR,
    CourseFileError,
    course_file_paths,
    read_course_file,
    read_course_files,
)
from courses.models import CoursePage, LessonPage
from courses.starter_loader import load_starter_courses

pytestmark = pytest.mark.django_db

SHIPPED = course_file_paths()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_course_file_passes_the_rules(path):
    course = read_course_file(path)
    assert course["lessons"] and course["quiz"]["questions"]


def test_shipped_course_files_load_with_their_lessons_and_vignette_answers():
    courses = load_starter_courses()
    assert len(courses) == len(SHIPPED) >= 3
    for data, page in zip(read_course_files(), courses, strict=True):
        assert page.slug == data["slug"]
        assert page.lessons().count() == len(data["lessons"])


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the shipped course files to break."""
    for path in SHIPPED:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _errors(folder: Path) -> list[str]:
    with pytest.raises(CourseFileError) as caught:
        read_course_files(folder)
    return caught.value.errors


def test_a_misspelled_block_type_is_named_with_file_and_place_and_loads_nothing(
    folder,
):
    def typo(data):
        data["lessons"][2]["body"][4]["type"] = "vidoe"

    _edit(folder / "hipaa-part2.yaml", typo)
    with pytest.raises(CourseFileError) as caught:
        load_starter_courses(directory=folder)
    assert caught.value.errors[0].startswith(
        "hipaa-part2.yaml: lessons[2].body[4]: unknown block type 'vidoe'"
    )
    assert not CoursePage.objects.exists()  # not even the files before it


def test_the_command_reports_the_problems_and_loads_nothing(folder):
    _edit(folder / "crisis-prevention.yaml", lambda d: d.pop("title"))
    with pytest.raises(CommandError) as caught:
        call_command("load_starter_courses", directory=str(folder), stdout=StringIO())
    assert "No course was loaded." in str(caught.value)
    assert "crisis-prevention.yaml: title: missing" in str(caught.value)
    assert not CoursePage.objects.exists()


def test_a_single_choice_question_needs_exactly_one_correct_choice(folder):
    def two_right(data):
        question = next(q for q in data["quiz"]["questions"] if q["kind"] == "single")
        for choice in question["choices"][:2]:
            choice["correct"] = True

    _edit(folder / "crisis-prevention.yaml", two_right)
    [error] = _errors(folder)
    assert error.startswith("crisis-prevention.yaml: quiz.questions[")
    assert "a 'single' question needs exactly one correct choice (it has 2)" in error


def test_a_true_false_question_without_a_correct_choice_is_refused(folder):
    def none_right(data):
        question = next(
            q for q in data["quiz"]["questions"] if q["kind"] == "true_false"
        )
        for choice in question["choices"]:
            choice["correct"] = False

    _edit(folder / "trauma-informed-care.yaml", none_right)
    [error] = _errors(folder)
    assert "needs exactly one correct choice (it has 0)" in error


def test_a_question_for_an_objective_that_does_not_exist_is_refused(folder):
    def unknown(data):
        data["quiz"]["questions"][0]["objective"] = "O9"

    _edit(folder / "hipaa-part2.yaml", unknown)
    assert _errors(folder) == [
        "hipaa-part2.yaml: quiz.questions[0].objective: no objective has the key 'O9'"
    ]


def test_two_files_with_one_slug_are_refused(folder):
    shutil.copy(folder / "hipaa-part2.yaml", folder / "zz-copy.yaml")
    assert _errors(folder) == [
        "zz-copy.yaml: slug: 'hipaa-part2' is already used by hipaa-part2.yaml"
    ]


def test_field_rules_come_from_the_pages_and_blocks(folder):
    def break_fields(data):
        data["quiz"]["pass_mark"] = 120
        data["lessons"][0]["body"][0]["value"] = "x" * 201  # heading: 200 at most
        data["lessons"][0]["body"][1]["value"] = None
        data["lessons"][1]["tittle"] = "typo"
        data["attestation"] = {"title": "Policy"}

    _edit(folder / "crisis-prevention.yaml", break_fields)
    errors = _errors(folder)
    assert "crisis-prevention.yaml: quiz.pass_mark: Ensure this value is less " in (
        "\n".join(errors)
    )
    assert any(
        e.startswith("crisis-prevention.yaml: lessons[0].body[0].value: Ensure this")
        for e in errors
    )
    assert (
        "crisis-prevention.yaml: lessons[0].body[1].value: str expected, not NoneType"
        in errors
    )
    assert "crisis-prevention.yaml: lessons[1].tittle: unknown key" in errors
    assert "crisis-prevention.yaml: attestation.body: missing" in errors


def test_a_vignette_needs_a_model_answer_and_a_check_a_real_answer(folder):
    def break_blocks(data):
        for lesson in data["lessons"]:
            for item in lesson["body"]:
                if item["type"] == "vignette":
                    item["value"].pop("model_answer")
                if item["type"] == "check":
                    item["value"]["answer"] = 7

    _edit(folder / "trauma-informed-care.yaml", break_blocks)
    errors = _errors(folder)
    assert any(e.endswith(".value.model_answer: missing") for e in errors)
    assert any("answer: 7 is not a choice" in e for e in errors)


def test_invalid_yaml_is_reported_with_its_line(folder):
    (folder / "broken.yaml").write_text("slug: x\ntitle: [unclosed\n")
    [error] = _errors(folder)
    assert error.startswith("broken.yaml: not valid YAML at line ")


def test_the_shipped_folder_is_the_package_folder():
    assert STARTER_DIR.name == "starter" and SHIPPED
    assert all(p.suffix == ".yaml" for p in SHIPPED)


def test_an_empty_model_answer_is_refused(folder):
    def blank(data):
        for lesson in data["lessons"]:
            for item in lesson["body"]:
                if item["type"] == "vignette":
                    item["value"]["model_answer"] = " "
                    return

    _edit(folder / "crisis-prevention.yaml", blank)
    [error] = _errors(folder)
    assert error.startswith("crisis-prevention.yaml: lessons[0].body[")
    assert ".value.model_answer: empty" in error


# --- Quizzes that measure knowledge, in every shipped file ------------------------


def _single_choice(path: Path) -> list[tuple[int, list[int]]]:
    """(length of the keyed choice, lengths of the others) per single-choice item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for question in data["quiz"]["questions"]:
        if question["kind"] != "single":
            continue
        keyed = [len(c["text"]) for c in question["choices"] if c["correct"]]
        others = [len(c["text"]) for c in question["choices"] if not c["correct"]]
        out.append((keyed[0], others))
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_keyed_answer_is_rarely_the_longest_choice(path):
    items = _single_choice(path)
    longest = sum(1 for keyed, others in items if keyed >= max(others))
    assert items, "a course quiz has single-choice items"
    assert longest <= 0.4 * len(items), (
        f"{path.name}: the keyed answer is the longest choice in {longest} of "
        f"{len(items)} single-choice items (at most 40% allowed)"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_the_keyed_answer_is_not_usually_the_shortest_choice_either(path):
    items = _single_choice(path)
    shortest = sum(1 for keyed, others in items if keyed <= min(others))
    assert shortest <= 0.5 * len(items), (
        f"{path.name}: the keyed answer is the shortest choice in {shortest} of "
        f"{len(items)} single-choice items (at most half allowed)"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_objective_has_a_scored_question(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tested = {q["objective"] for q in data["quiz"]["questions"]}
    untested = [o["key"] for o in data["objectives"] if o["key"] not in tested]
    assert not untested, f"{path.name}: no quiz item for {', '.join(untested)}"


def test_the_giveaway_rule_catches_a_quiz_keyed_to_its_longest_choices(folder):
    def pad_keys(data):
        for question in data["quiz"]["questions"]:
            for choice in question["choices"]:
                if choice["correct"] and question["kind"] == "single":
                    choice["text"] += " " + "in every case and setting" * 4

    _edit(folder / "hipaa-part2.yaml", pad_keys)
    with pytest.raises(AssertionError, match="longest choice in 8 of 8"):
        test_the_keyed_answer_is_rarely_the_longest_choice(folder / "hipaa-part2.yaml")


def test_a_vignette_offers_its_model_answer_behind_a_reveal(client, staff):
    load_starter_courses()
    lesson = LessonPage.objects.live().get(title="Verbal de-escalation")
    [vignette] = [b for b in lesson.body if b.block_type == "vignette"]
    client.force_login(staff.user)
    body = client.get(lesson.url).content.decode()
    reveal = body.split('<details class="model-answer">', 1)[1].split("</details>")[0]
    assert "<summary>Compare with a model answer</summary>" in reveal
    assert "Mr. Alvarez, you took time off work" in reveal
    assert vignette.value["model_answer"].startswith("Invite him away")
    # The prompt to think first comes before the reveal, not inside it.
    assert body.index("Then compare.") < body.index('<details class="model-answer">')
