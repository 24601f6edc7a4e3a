"""Certificates: the PDF, the public check, and who may download whose."""

import io

import pytest
from auditlog.models import LogEntry
from pypdf import PdfReader

from courses.services import completion_record
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory, make_supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def completion(staff):
    staff.user.first_name, staff.user.last_name = "Jordan", "Blake"
    staff.user.save()
    course = make_course(title="Trauma-informed care", ce_hours=1.5)
    return completion_record(staff=staff, course=course.page, score=92)


def test_certificate_pdf_reads_back(client, staff, completion):
    client.force_login(staff.user)
    response = client.get(f"/training/certificates/{completion.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Jordan Blake" in text
    assert "Trauma-informed care" in text
    assert completion.certificate_code in text
    assert "92%" in text and "1.5" in text
    assert f"/verify/{completion.certificate_code}/" in text
    assert len(reader.pages[0].images) == 1  # the QR code
    entry = LogEntry.objects.get_for_object(completion).filter(action=3).get()
    assert entry.actor == staff.user


def test_verify_shows_only_name_course_and_date(client, completion):
    response = client.get(f"/verify/{completion.certificate_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jordan Blake" in body and "Trauma-informed care" in body
    assert completion.completed_at.strftime("%Y") in body
    for secret in (
        "92%",
        completion.staff.user.email,
        completion.staff.employee_id,
        str(completion.staff.team),
    ):
        assert secret not in body


def test_verify_unknown_code_is_a_plain_404(client, completion):
    response = client.get("/verify/AAAA-BBBB-CCCC/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No certificate has this code." in body
    assert "Jordan" not in body


def _status(client, user, completion):
    client.force_login(user)
    return client.get(f"/training/certificates/{completion.pk}.pdf").status_code


def test_learner_supervisor_and_hr_may_download(
    client, staff, completion, supervisor, hr
):
    assert _status(client, staff.user, completion) == 200
    assert _status(client, supervisor, completion) == 200
    assert _status(client, hr, completion) == 200


def test_others_may_not_download(client, completion, other_supervisor):
    other_learner = StaffProfileFactory(team=completion.staff.team)
    assert _status(client, other_learner.user, completion) == 404
    assert _status(client, other_supervisor, completion) == 404
    client.logout()
    response = client.get(f"/training/certificates/{completion.pk}.pdf")
    assert response.status_code == 302


def test_supervisor_of_two_teams_sees_both(client, completion, other_team):
    both = make_supervisor(completion.staff.team, other_team)
    assert _status(client, both, completion) == 200
