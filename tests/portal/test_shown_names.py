"""Names and titles a person or an email shows refuse line breaks, other invisible
characters and text-direction overrides everywhere (one validator on the models,
so the CMS says so); old rows that hold them are never written raw into an email."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from credentials.models import CredentialType
from credentials.services import decision_email_send
from portal.models import JobRole, Site
from portal.roles import Role
from tests.courses.factories import make_course
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import (
    JobRoleFactory,
    ProgramFactory,
    SiteFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INJECTED = "Role\nBcc: x@evil.example"
REVERSED = "CPR \u202eelif.exe"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (INJECTED, "Remove the line break or other invisible character"),
        ("Role \u202eredaer", "Remove the right-to-left or left-to-right override"),
        ("Role\u2066x\u2069", "Remove the right-to-left or left-to-right override"),
    ],
)
def test_the_cms_refuses_a_job_role_name_with_a_line_break_or_an_override(
    client, name, message
):
    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/cms/jobrole/new/",
        {"name": name, "code": "role", "description": "", "orientation_days": 30},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JobRole.objects.filter(code="role").exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda name: TeamFactory.build(name=name, site=SiteFactory()),
        lambda name: SiteFactory.build(name=name),
        lambda name: ProgramFactory.build(name=name),
        lambda name: JobRoleFactory.build(name=name, code="r"),
        lambda name: CredentialTypeFactory.build(name=name, code="c"),
    ],
    ids=["team", "site", "program", "job role", "credential type"],
)
@pytest.mark.parametrize("name", [INJECTED, REVERSED, " Padded "])
def test_every_shown_name_refuses_control_characters_overrides_and_padding(make, name):
    with pytest.raises(ValidationError) as refused:
        make(name).full_clean(validate_unique=False)
    assert "name" in refused.value.message_dict


def test_a_course_title_with_a_line_break_is_refused_on_the_title_field():
    course = make_course()
    page = course.page
    page.title = INJECTED
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "Remove the line break" in refused.value.message_dict["title"][0]


def test_an_old_name_with_a_line_break_or_override_is_neutralized_in_the_email_body(
    mailoutbox, django_capture_on_commit_callbacks
):
    credential = CredentialFactory(verification_status="verified")
    # Rows from before the validator, planted past it.
    CredentialType.objects.filter(pk=credential.credential_type_id).update(
        name=INJECTED + "\u202e"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_email_send(credential_id=credential.pk)
    body = mailoutbox[0].body
    html = mailoutbox[0].alternatives[0][0]
    assert "HR verified your Role Bcc: x@evil.example" in body
    for text in (body, html):
        assert "\nBcc:" not in text and "\u202e" not in text
    assert "\nBcc:" not in mailoutbox[0].subject


def test_an_old_site_name_is_neutralized_in_the_export_ready_email(mailoutbox):
    from portal.mail import email_message

    site = SiteFactory()
    Site.objects.filter(pk=site.pk).update(name="North\u202e\nHouse")
    site.refresh_from_db()
    message = email_message(
        template="compliance/email/export_ready",
        subject="Ready",
        context={
            "user": UserFactory(),
            "job": {"site": site, "as_of": dt.date(2026, 11, 25)},
            "url": "https://x/",
        },
        to=["a@example.org"],
    )
    assert "The training files of North House as of" in message.body


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("classes.ClassSession", "title"),
        ("classes.CEActivity", "title"),
        ("classes.CEActivity", "provider"),
        ("skills.SkillChecklist", "name"),
    ],
)
@pytest.mark.parametrize("name", [INJECTED, REVERSED, " Padded "])
def test_class_titles_ce_entries_and_checklists_refuse_hidden_characters(
    model, field, name
):
    from django.apps import apps

    with pytest.raises(ValidationError):
        apps.get_model(model)._meta.get_field(field).run_validators(name)


def test_a_lesson_or_quiz_title_with_a_line_break_is_refused_on_the_title_field():
    course = make_course()
    for page in (course.lessons[0], course.quiz):
        page.title = INJECTED
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        assert "Remove the line break" in refused.value.message_dict["title"][0]
