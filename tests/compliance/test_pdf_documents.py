"""Issue 10.6: documents that render every name. Certificates and training files are
drawn in the shipped DejaVu Sans, so Vietnamese, Polish, Greek and Cyrillic names
read back from the PDF; the training file wraps long numbers and file names, repeats
each section's heading and column headings on every page, says which credentials
were superseded or rejected and why, and numbers its pages "page X of Y"."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from courses.certificates import certificate_pdf
from courses.services import completion_record
from credentials.models import Credential
from credentials.services import credential_document_add
from portal.pdf import FONT_DIR
from tests.courses.factories import make_course
from tests.credentials.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    pdf_upload,
)
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Nguyễn Thị", "Ánh"),  # Vietnamese
    ("Łukasz", "Wróblewski"),  # Latin Extended (Polish)
    ("Ελένη", "Παπαδοπούλου"),  # Greek
    ("Дмитрий", "Соколов"),  # Cyrillic
]
LONG_NUMBER = "AHA-2025-1234567890123456789012345678901234567890"
LONG_FILE = "scan_of_my_cpr_card_front_and_back_taken_with_my_phone_2025_final_v2.pdf"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC), tick=False):
        yield


def read(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return reader, text


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_font_and_its_license_are_shipped():
    assert (FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()


@pytest.mark.parametrize(("first", "last"), NAMES)
def test_certificate_prints_every_name(team, first, last):
    person = StaffProfileFactory(
        team=team, user=UserFactory(first_name=first, last_name=last)
    )
    course = make_course(title="Trauma-informed care")
    completion = completion_record(staff=person, course=course.page, score=90)
    reader, text = read(certificate_pdf(completion=completion))
    assert f"{first} {last}" in text
    assert any("DejaVuSans" in name for name in embedded_fonts(reader))


@pytest.fixture
def file_of(client, hr):
    def get(person, **params) -> tuple[PdfReader, str]:
        client.force_login(hr)
        response = client.get(f"/staff/{person.pk}/training-file.pdf", params)
        assert response.status_code == 200
        return read(response.content)

    return get


def test_training_file_prints_every_name(team, file_of, caplog):
    for first, last in NAMES:
        person = StaffProfileFactory(
            team=team, user=UserFactory(first_name=first, last_name=last)
        )
        reader, text = file_of(person)
        assert f"Training file: {first} {last}" in text
        assert reader.metadata.title == f"Training file: {first} {last}"
        assert any("DejaVuSans" in name for name in embedded_fonts(reader))
    # The title (the PDF's metadata) is checked in the document's font too:
    # no name is reported as a character that would print as a box.
    assert "No font this document has" not in caplog.text


@pytest.fixture
def busy_person(team, hr):
    """Someone with 40 completions (three pages), a renewed CPR card with a long
    number and file name, and a rejected license."""
    person = StaffProfileFactory(
        team=team, user=UserFactory(first_name="Nguyễn Thị", last_name="Ánh")
    )
    courses = [make_course(title=f"Module {n}", retrain_months=None) for n in range(4)]
    start = dt.datetime(2024, 1, 2, 15, tzinfo=dt.UTC)
    for n in range(40):
        completion_record(
            staff=person,
            course=courses[n % 4].page,
            score=60 + n,
            completed_at=start + dt.timedelta(days=7 * n),
        )
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    old = CredentialFactory(
        staff=person,
        credential_type=cpr,
        number="AHA-2023-1",
        issued_on=dt.date(2023, 1, 1),
        expires_on=dt.date(2025, 1, 1),
    )
    new = CredentialFactory(
        staff=person, credential_type=cpr, number=LONG_NUMBER, supersedes=old
    )
    Credential.objects.filter(pk=old.pk).update(superseded_by=new)
    credential_document_add(credential=new, upload=pdf_upload(LONG_FILE), by=hr)
    CredentialFactory(
        staff=person,
        credential_type=CredentialTypeFactory(name="LCSW license", code="lcsw"),
        number="LCSW-1",
        verification_status="rejected",
        rejection_reason="The scan is unreadable; upload both sides.",
        verified_by=hr,
        verified_at=dt.datetime(2026, 10, 1, 15, tzinfo=dt.UTC),
    )
    return person


def test_training_file_pages_are_numbered_x_of_y(busy_person, file_of):
    reader, _ = file_of(busy_person)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} of {total}" in " ".join(page.extract_text().split())


def test_training_file_repeats_headings_and_column_headings_on_each_page(
    busy_person, file_of
):
    reader, _ = file_of(busy_person)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    with_completions = [p for p in pages if "Module" in p]
    assert len(with_completions) >= 2  # the table runs over a page break
    for text in with_completions:
        assert "Course completions Course Version Completed Score Certificate" in text


def test_training_file_shows_scores_as_percentages(busy_person, file_of):
    _, text = file_of(busy_person)
    assert "60%" in text and "99%" in text


def test_training_file_wraps_long_numbers_and_file_names(busy_person, file_of):
    reader, text = file_of(busy_person)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    # Each is broken over lines inside its cell, so no single line holds it all...
    assert not any(LONG_NUMBER in line for line in lines)
    assert not any(LONG_FILE in line for line in lines)
    # ...and nothing is lost: joined back together, the whole value is there.
    joined = "".join(lines)
    assert LONG_NUMBER in joined and LONG_FILE in joined


def test_training_file_says_superseded_and_rejected_with_the_reason(
    busy_person, file_of
):
    _, text = file_of(busy_person)
    assert "Superseded by the renewal filed Nov 25, 2026 (expires Jan 1, 2027)" in text
    assert "Rejected by" in text
    assert "Reason: The scan is unreadable; upload both sides." in text
