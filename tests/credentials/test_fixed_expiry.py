"""Licenses that expire on one date for everyone: Pennsylvania's social work,
counseling and marriage and family therapy licenses expire on 28 February of odd
years, whenever they were issued. HR sets the rule per credential type."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from credentials.models import Credential, CredentialType, fixed_expiry_after
from tests.credentials.factories import CredentialTypeFactory, pdf_upload

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (dt.date(2026, 3, 10), dt.date(2027, 2, 28)),
        (dt.date(2027, 2, 28), dt.date(2027, 2, 28)),  # issued on renewal day
        (dt.date(2027, 3, 1), dt.date(2029, 2, 28)),
        (dt.date(2025, 12, 31), dt.date(2027, 2, 28)),
    ],
)
def test_pennsylvania_licenses_expire_on_28_february_of_the_next_odd_year(
    issued, expires
):
    assert fixed_expiry_after(issued_on=issued, month=2, day=28, years="odd") == expires


def test_a_fixed_day_that_a_month_lacks_falls_on_its_last_day():
    assert fixed_expiry_after(
        issued_on=dt.date(2026, 6, 1), month=2, day=29, years="every"
    ) == dt.date(2027, 2, 28)
    assert fixed_expiry_after(
        issued_on=dt.date(2027, 6, 1), month=2, day=29, years="even"
    ) == dt.date(2028, 2, 29)


def test_the_type_computes_expiry_from_the_issue_date():
    lpc = CredentialTypeFactory(
        name="LPC license",
        fixed_expiry_month=2,
        fixed_expiry_day=28,
        fixed_expiry_years="odd",
        validity_months=None,
    )
    assert lpc.expiry_for(dt.date(2026, 5, 1)) == dt.date(2027, 2, 28)
    assert lpc.renewal_label == "expires Feb 28 of odd years"
    cpr = CredentialTypeFactory(name="CPR", validity_months=24)
    assert cpr.expiry_for(dt.date(2026, 5, 1)) == dt.date(2028, 5, 1)
    tb = CredentialTypeFactory(name="TB test", has_expiry=False, validity_months=None)
    assert tb.expiry_for(dt.date(2026, 5, 1)) is None


def test_a_half_given_fixed_date_is_refused():
    ctype = CredentialType(name="X", code="x", fixed_expiry_month=2)
    with pytest.raises(ValidationError, match="both the month and the day"):
        ctype.full_clean()
    ctype = CredentialType(
        name="X", code="x", fixed_expiry_month=4, fixed_expiry_day=31
    )
    with pytest.raises(ValidationError, match="does not have that many days"):
        ctype.full_clean()


@time_machine.travel(NOON, tick=False)
def test_a_clinician_adds_a_pennsylvania_license_and_its_expiry_is_computed(
    client, staff
):
    lpc = CredentialTypeFactory(
        name="LPC license",
        code="lpc",
        fixed_expiry_month=2,
        fixed_expiry_day=28,
        fixed_expiry_years="odd",
        validity_months=None,
        has_number=True,
        requires_document=True,
    )
    client.force_login(staff.user)
    form = client.get(reverse("credential_add")).content.decode()
    assert (
        "LPC license</strong>: number, expiry date (expires Feb 28 of odd years)"
        in (form)
    )
    response = client.post(
        reverse("credential_add"),
        {
            "credential_type": lpc.pk,
            "number": "PC012345",
            "issued_on": "2026-04-15",
            "expires_on": "",
            "documents": pdf_upload(),
        },
    )
    assert response.status_code == 302
    assert Credential.objects.get().expires_on == dt.date(2027, 2, 28)


@time_machine.travel(NOON, tick=False)
def test_staff_are_not_offered_what_only_hr_records(client, staff, hr):
    check = CredentialTypeFactory(
        name="OIG and Medicaid exclusion check", recorded_by_hr=True, validity_months=1
    )
    client.force_login(staff.user)
    response = client.post(
        reverse("credential_add"), {"credential_type": check.pk, "issued_on": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Credential.objects.exists()
    client.force_login(hr)
    response = client.post(
        reverse("credential_add") + f"?staff={staff.pk}",
        {"staff": staff.pk, "credential_type": check.pk, "issued_on": "2026-11-20"},
    )
    assert response.status_code == 302
    assert Credential.objects.get().expires_on == dt.date(2026, 12, 20)
