"""An author writes a course in the Wagtail admin, as the forms post it: a course,
a lesson and a quiz whose answer key the CMS checks before it can be published;
then a learner takes the published quiz."""

import pytest
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from courses.models import CoursePage, LessonPage, QuizAttempt, QuizPage
from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.courses.factories import start_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    roles_ensure()
    user = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    library_grant_authors(library=library_page())
    return user


def list_block(items: list) -> dict:
    """A ListBlock as the admin form posts it (like ``streamfield``, no types)."""
    data = {
        str(i): {"value": item, "deleted": "", "order": str(i), "id": ""}
        for i, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def question(prompt: str, *choices: tuple[str, bool]) -> dict:
    return {
        "prompt": prompt,
        "objective": "O1",
        "choices": list_block(
            [
                {"text": text, "correct": "on" if right else "", "feedback": ""}
                for text, right in choices
            ]
        ),
    }


def page_form(**fields) -> dict:
    """The fields every page form posts, plus ``fields`` (nested)."""
    return nested_form_data(
        {
            "slug": "",
            "seo_title": "",
            "search_description": "",
            "substantive_change": "",
            "comments": inline_formset([]),
            **fields,
        }
    )


PUBLISH = {"action-publish": "action-publish"}


def _add(client, model: str, parent, data: dict, publish: bool = True):
    url = f"/cms/pages/add/courses/{model}/{parent.pk}/"
    return client.post(url, {**data, **(PUBLISH if publish else {})})


def test_author_writes_and_publishes_a_course_the_cms_checks_the_answer_key(
    client, author, staff
):
    client.force_login(author)
    library = library_page()

    # The course.
    response = _add(
        client,
        "coursepage",
        library,
        page_form(
            title="Safe medication storage",
            slug="safe-medication-storage",
            summary="Where medication is kept, and who holds the keys.",
            objectives=streamfield(
                [("objective", {"key": "O1", "text": "Store medication safely."})]
            ),
            estimated_minutes="",
            ce_hours="",
            retrain_months="12",
            tags="",
            cover_image="",
            retrain_on_new_version="",
            new_version_due_days="30",
            sources=streamfield([("source", "The agency's medication policy.")]),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = CoursePage.objects.get(slug="safe-medication-storage")
    assert course.live and course.objectives[0].value["key"] == "O1"

    # A lesson.
    response = _add(
        client,
        "lessonpage",
        course,
        page_form(
            title="The locked cabinet",
            slug="locked-cabinet",
            intro="Why the cabinet stays locked.",
            body=streamfield(
                [
                    ("heading", "Keys"),
                    (
                        "paragraph",
                        rich_text("<p>Only the nurse on shift holds it.</p>"),
                    ),
                    ("key_point", "Lock it every time."),
                ]
            ),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="locked-cabinet")
    assert lesson.live and "nurse on shift" in str(lesson.body[1].value)

    # A quiz whose question has no right answer is refused, the error shown.
    rules = {
        "title": "Check your knowledge",
        "slug": "quiz",
        "intro": "",
        "pass_mark": "80",
        "attempts_allowed": "3",
        "shuffle": "",
        "shuffle_choices": "",
        "questions_per_attempt": "",
        "reveal_answers": "passed",
    }
    no_key = question("Who holds the key?", ("Anyone", False), ("The nurse", False))
    response = _add(
        client,
        "quizpage",
        course,
        page_form(**rules, questions=streamfield([("multiple", no_key)])),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The page could not be created due to validation errors" in body
    assert "Mark at least one choice as correct." in body
    assert not QuizPage.objects.exists()

    # Fixed, and saved as a draft.
    keyed = question("Who holds the key?", ("Anyone", False), ("The nurse", True))
    response = _add(
        client,
        "quizpage",
        course,
        page_form(**rules, questions=streamfield([("single", keyed)])),
        publish=False,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get()
    assert not quiz.live

    # Edited: a single-choice question with two right answers is refused too.
    two_right = question(
        "Where is it kept?", ("Locked cabinet", True), ("Nurse's office", True)
    )
    edit = f"/cms/pages/{quiz.pk}/edit/"
    response = client.post(
        edit,
        {
            **page_form(
                **rules,
                questions=streamfield([("single", keyed), ("single", two_right)]),
            ),
            **PUBLISH,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The page could not be saved due to validation errors" in body
    assert "Mark exactly one choice as correct." in body
    quiz.refresh_from_db()
    assert not quiz.live and len(quiz.questions) == 1

    # Fixed and published.
    one_right = question(
        "Where is it kept?", ("Locked cabinet", True), ("Nurse's office", False)
    )
    response = client.post(
        edit,
        {
            **page_form(
                **rules,
                questions=streamfield([("single", keyed), ("single", one_right)]),
            ),
            **PUBLISH,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get()
    assert quiz.live and len(quiz.questions) == 2
    answer_key = {
        block.id: [i for i, c in enumerate(block.value["choices"]) if c["correct"]]
        for block in quiz.questions
    }
    assert list(answer_key.values()) == [[1], [0]]

    # A learner takes the published quiz and passes.
    client.force_login(staff.user)
    attempt = start_quiz(client, quiz).context["attempt"]
    data = {"attempt": str(attempt.pk)}
    for qid, right in answer_key.items():
        data[f"q-{qid}"] = [str(i) for i in right]
    result = client.post(quiz.url, data)
    assert result.status_code == 200
    assert "Score: 100%" in result.content.decode()
    assert QuizAttempt.objects.get(staff=staff).passed


def test_the_external_link_chooser_asks_for_a_missing_url(client, author):
    """The link chooser's "External link" tab: a post without the URL field used
    to answer a server error; now the tab asks for it, and a URL is chosen."""
    client.force_login(author)
    url = "/cms/choose-external-link/"
    assert client.get(url).status_code == 200
    for data in ({}, {"external-link-chooser-link_text": "Policy"}):
        response = client.post(url, data)
        assert response.status_code == 200
        reply = response.json()
        assert reply["step"] == "external_link"
        assert "This field is required." in reply["html"]
    chosen = client.post(
        url,
        {
            "external-link-chooser-url": "https://www.samhsa.gov/",
            "external-link-chooser-link_text": "SAMHSA",
        },
    ).json()
    assert chosen["step"] == "external_link_chosen"
    assert chosen["result"]["url"] == "https://www.samhsa.gov/"


def test_a_signed_policys_text_cannot_change_without_a_new_version(client, author):
    """Signatures count for the version in force: once people have signed a
    version, the CMS refuses new words under that version (formatting alone
    may change), and a new version asks everyone to sign again."""
    from courses.models import AttestationPage
    from courses.selectors import attestation_current
    from courses.services import attestation_sign
    from tests.courses.factories import make_course
    from tests.factories import StaffProfileFactory

    course = make_course(attestation=True)
    page = course.attestation
    edit = f"/cms/pages/{page.pk}/edit/"

    def publish(version: str, body: str):
        return client.post(
            edit,
            {
                **page_form(
                    title=page.title,
                    slug=page.slug,
                    policy_version=version,
                    body=rich_text(body),
                    statement=page.statement,
                ),
                **PUBLISH,
            },
        )

    client.force_login(author)
    # Nobody has signed yet: the author may still correct the text.
    fixed = "<p>I will protect all client information.</p>"
    assert publish("2026.1", fixed).status_code == 302
    staff = StaffProfileFactory()
    signature = attestation_sign(
        staff=staff,
        page=AttestationPage.objects.get(pk=page.pk),
        full_name=staff.full_name,
        agreed=True,
        ip=None,
    )

    changed = publish("2026.1", "<p>I may share client information.</p>")
    assert changed.status_code == 200
    assert "People have signed version 2026.1 of this policy" in (
        changed.content.decode()
    )
    page = AttestationPage.objects.get(pk=page.pk)
    assert page.body == signature.policy_text
    assert attestation_current(staff=staff, page=page) == signature

    # Formatting alone is no new text.
    bold = "<p><b>I will protect all client</b> information.</p>"
    assert publish("2026.1", bold).status_code == 302
    assert publish("2026.2", "<p>I may share client information.</p>").status_code == (
        302
    )
    page = AttestationPage.objects.get(pk=page.pk)
    assert page.policy_version == "2026.2"
    assert attestation_current(staff=staff, page=page) is None
