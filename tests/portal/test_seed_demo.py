"""The demo data loads, prints its logins, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "portal",
            "courses",
            "credentials",
            "skills",
            "compliance",
            "auth",
            "wagtailcore",
        }
        and model._meta.label != "portal.Heartbeat"
    }


def test_seed_demo_twice_leaves_the_same_counts():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["portal.StaffProfile"] >= 40
    assert first["portal.Team"] == 4
    assert first["portal.Site"] == 2
    assert first["portal.Program"] == 3
    assert first["portal.JobRole"] == 5
    printed = out.getvalue()
    for login in ("newhire@", "supervisor1@", "supervisor2@", "hr@", "admin@"):
        assert login in printed
    assert "milieu-demo-2026" in printed


def test_seed_demo_refuses_production_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="only in debug mode"):
        call_command("seed_demo", stdout=io.StringIO())
