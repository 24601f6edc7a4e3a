"""The CMS in Milieu's name and colors, without calls to Gravatar; authors use the
image and document libraries; a new true/false question starts with its choices."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.blocks import QuestionStreamBlock
from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.credentials.factories import PDF_BYTES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    roles_ensure()
    user = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    library_grant_authors(library=library_page())
    return user


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (29, 78, 137)).save(out, "PNG")
    return out.getvalue()


def test_the_cms_carries_milieus_name_and_never_calls_gravatar(client, author):
    client.force_login(author)
    html = client.get("/cms/").content.decode()
    assert "<title>" in html and "Milieu CMS</title>" in html
    heading = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S).group(1)
    assert heading == "Milieu"
    assert "localhost" not in html
    assert "gravatar.com" not in html
    assert "--w-color-secondary-hue: 213" in html  # Milieu blue
    assert 'aria-label="Milieu"' in html  # the sidebar logo


def test_an_author_uploads_an_image_and_a_document(client, author):
    client.force_login(author)
    assert client.get("/cms/images/").status_code == 200
    assert client.get("/cms/images/add/").status_code == 200
    response = client.post(
        "/cms/images/add/",
        {
            "title": "De-escalation poster",
            "file": SimpleUploadedFile("poster.png", png(), "image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    image = get_image_model().objects.get(title="De-escalation poster")
    assert image.uploaded_by_user == author

    assert client.get("/cms/documents/").status_code == 200
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Crisis policy",
            "file": SimpleUploadedFile("policy.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_document_model().objects.filter(title="Crisis policy").exists()
    # The image chooser in the page editor offers it.
    chooser = client.get("/cms/images/chooser/").content.decode()
    assert "De-escalation poster" in chooser


def test_staff_still_cannot_use_the_libraries(client, staff):
    client.force_login(staff.user)
    assert client.get("/cms/images/add/").status_code in (302, 403)


def test_a_new_true_false_question_starts_with_true_and_false():
    block = QuestionStreamBlock().child_blocks["true_false"]
    value = block.get_default()
    assert [c["text"] for c in value["choices"]] == ["True", "False"]
    assert not any(c["correct"] for c in value["choices"])
    # The editor's form state for a new block carries both choices.
    state = block.get_form_state(value)
    texts = [item["value"]["text"] for item in state["choices"]]
    assert texts == ["True", "False"]
