"""HR's "Add" buttons on a person's page: each one opens the add form for that
person (an "any one of" group included), never a page that is not there."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from credentials.models import CredentialGroup
from tests.credentials.factories import (
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def test_every_add_link_on_a_person_page_opens_the_form_for_them(client, hr, team):
    with time_machine.travel(NOON, tick=False):
        hire = StaffProfileFactory(team=team)
        cpr = CredentialTypeFactory(name="CPR", code="cpr")
        CredentialRequirementFactory(job_role=hire.job_role, credential_type=cpr)
        group = CredentialGroup.objects.create(name="De-escalation certification")
        group.members.set(
            [
                CredentialTypeFactory(name="CPI", code="cpi"),
                CredentialTypeFactory(name="Safety-Care", code="safety-care"),
            ]
        )
        CredentialRequirementFactory(
            job_role=hire.job_role, credential_type=None, group=group
        )
        client.force_login(hr)
        page = client.get(reverse("staff_detail", args=[hire.pk]))
        html = page.content.decode()
        adds = [
            unescape(href)
            for href in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>Add</a>', html)
        ]
        assert len(adds) == 2, adds  # CPR and the de-escalation group
        for href in adds:
            assert "&" not in href.split("?")[0], href
            answer = client.get(href)
            assert answer.status_code == 200, href
            # The form is for the person whose page it was, not for HR.
            assert hire.full_name in answer.content.decode(), href
