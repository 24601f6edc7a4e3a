"""``/verify/``: anyone can type a certificate's code and reach its check page."""

from __future__ import annotations

import pytest

from courses.services import completion_record
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db


def test_verify_shows_a_form_to_type_a_code(client):
    page = client.get("/verify/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="code"' in body and "Certificate code" in body


def test_typed_code_opens_its_check_page(client):
    course = make_course(title="Verify course")
    completion = completion_record(
        staff=StaffProfileFactory(), course=course.page, score=90
    )
    typed = f"  {completion.certificate_code.lower()} "
    response = client.get("/verify/", {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == (f"/verify/{completion.certificate_code}/")
    assert "Verify course" in response.content.decode()


@pytest.mark.parametrize("junk", ["", "   ", "<script>", "x" * 300, "AB\nCD"])
def test_bad_codes_re_render_the_form_with_a_message(client, junk):
    response = client.get("/verify/", {"code": junk})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert "<script>" not in body


def test_unknown_code_offers_the_form_again(client):
    response = client.get("/verify/", {"code": "ABCD-EFGH-JKLM"}, follow=True)
    assert response.status_code == 404
    assert 'name="code"' in response.content.decode()
