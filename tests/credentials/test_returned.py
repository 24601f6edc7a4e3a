"""A returned credential has a way back: the person sees HR's reason, corrects it,
and it goes back to the queue marked as a resubmission, with its history kept."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from credentials.models import Credential, CredentialDecision
from credentials.services import credential_reject, credential_resubmit
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
    pdf_upload,
    png_upload,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
REASON = "The scan is cut off at the expiry date."


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def text(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def person(team):
    # Hired five years ago: a first CPR card returned must not say "was due ...
    # (1885 days ago)".
    return StaffProfileFactory(
        team=team, hire_date=dt.date(2021, 9, 14), user__email="worker@example.org"
    )


@pytest.fixture
def cpr(person):
    ctype = CredentialTypeFactory(name="CPR / First Aid", code="cpr", has_number=True)
    CredentialRequirementFactory(
        job_role=person.job_role, credential_type=ctype, due_within_days=14
    )
    return ctype


def test_the_whole_loop_return_correct_resubmit_verify(
    client, clock, person, cpr, hr, django_capture_on_commit_callbacks
):
    # The person uploads their card.
    client.force_login(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("credential_add"),
            {
                "credential_type": cpr.pk,
                "number": "CPR-1",
                "issuing_body": "American Heart Association",
                "issued_on": "2026-11-01",
                "expires_on": "2028-11-01",
                "documents": [pdf_upload("front.pdf")],
            },
        )
    assert response.status_code == 302
    credential = Credential.objects.get(staff=person)

    # HR returns it with a reason; the person is emailed the reason.
    client.force_login(hr)
    clock.shift(dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credential_review", args=[credential.pk]),
            {"reject": "1", "reason": REASON},
        )
    assert [m.to for m in mail.outbox] == [[person.user.email]]
    returned_mail = mail.outbox[0]
    assert "returned" in returned_mail.subject
    assert REASON in returned_mail.body and "action needed" in returned_mail.body
    assert f"/credentials/{credential.pk}/" in returned_mail.body
    assert reverse("credential_review", args=[credential.pk]) not in text(
        client.get(reverse("verification_queue"))
    )

    # The person sees "returned: action needed" with the reason, not a deadline
    # from years ago.
    client.force_login(person.user)
    mine = text(client.get(reverse("my_credentials")))
    assert "Returned: action needed" in mine and REASON in mine
    assert "returned by HR on Nov 25, 2026: action needed" in mine
    assert "days ago" not in mine and "Correct and resubmit" in mine
    detail = text(client.get(reverse("credential_detail", args=[credential.pk])))
    assert REASON in detail and "Correct and resubmit" in detail
    assert "Returned: action needed by" in detail  # the history, with who

    # They correct the expiry date and add the back of the card.
    url = reverse("credential_resubmit", args=[credential.pk])
    form = client.get(url)
    assert REASON in text(form)
    assert form.context["form"].initial["number"] == "CPR-1"
    clock.shift(dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "number": "CPR-1",
                "issuing_body": "American Heart Association",
                "issued_on": "2026-11-01",
                "expires_on": "2028-10-31",
                "documents": [png_upload("back.png")],
            },
        )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.verification_status == "pending"
    assert credential.expires_on == dt.date(2028, 10, 31)
    assert credential.documents.count() == 2
    # HR (who returned it) is told it is back.
    assert mail.outbox[-1].to == [hr.email]
    assert "resubmitted" in mail.outbox[-1].subject
    assert REASON in mail.outbox[-1].body
    assert "Corrected expires on; added 1 document." in mail.outbox[-1].body

    # It is back in the queue, marked as a resubmission.
    client.force_login(hr)
    queue = client.get(reverse("verification_queue"))
    assert credential in list(queue.context["page"].object_list)
    assert "Resubmission" in text(queue)
    review = text(client.get(reverse("credential_review", args=[credential.pk])))
    assert "Resubmission" in review and REASON in review

    # HR verifies it; the person is told; the whole history is shown to both.
    clock.shift(dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credential_review", args=[credential.pk]),
            {"verify": "1", "primary_source_note": "AHA eCard lookup"},
        )
    assert mail.outbox[-1].to == [person.user.email]
    assert "verified" in mail.outbox[-1].subject
    actions = list(credential.decisions.values_list("action", "by", "reason"))
    assert actions == [
        ("returned", hr.pk, REASON),
        ("resubmitted", person.user_id, "Corrected expires on; added 1 document."),
        ("verified", hr.pk, "AHA eCard lookup"),
    ]
    for who in (person.user, hr):
        client.force_login(who)
        page = text(client.get(reverse("credential_detail", args=[credential.pk])))
        history = page[page.index("Review history") :]
        assert history.index("Returned: action needed") < history.index(
            "Corrected and resubmitted"
        )
        assert history.index("Corrected and resubmitted") < history.index("Verified")
        assert "Nov 25, 2026, 1:00 PM" in history and "Nov 25, 2026, 3:00 PM" in history
        assert REASON in history
    client.force_login(person.user)
    mine = text(client.get(reverse("my_credentials")))
    assert "Returned: action needed" not in mine


def test_resubmitting_needs_a_change_and_only_a_returned_credential(
    client, clock, person, cpr, hr
):
    credential = CredentialFactory(
        staff=person, credential_type=cpr, verification_status="pending", number="X1"
    )
    credential_reject(credential=credential, by=hr, reason=REASON)
    client.force_login(person.user)
    url = reverse("credential_resubmit", args=[credential.pk])
    same = {
        "number": "X1",
        "issuing_body": credential.issuing_body,
        "issued_on": credential.issued_on.isoformat(),
        "expires_on": credential.expires_on.isoformat(),
    }
    response = client.post(url, same)
    assert response.status_code == 200
    assert "Correct a field or add a document" in text(response)
    bad = client.post(url, {**same, "expires_on": "2020-01-01"})
    assert bad.status_code == 200 and "before the issue date" in text(bad)
    credential.refresh_from_db()
    assert credential.verification_status == "rejected"
    credential_resubmit(
        credential=credential,
        by=person.user,
        number="X2",
        issuing_body=credential.issuing_body,
        issued_on=credential.issued_on,
        expires_on=credential.expires_on,
    )
    # Pending now: the resubmit page sends them back to the credential.
    response = client.get(url)
    assert response.status_code == 302
    # Someone else's credential is not theirs to resubmit.
    other = StaffProfileFactory(team=person.team)
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_returning_records_who_and_why_in_the_history(person, cpr, hr):
    credential = CredentialFactory(
        staff=person, credential_type=cpr, verification_status="pending"
    )
    credential_reject(credential=credential, by=hr, reason=REASON)
    decision = CredentialDecision.objects.get()
    assert decision.action == "returned" and decision.by == hr
    assert decision.reason == REASON
