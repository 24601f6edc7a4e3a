"""The move of the skill models (and the manual reminder) out of compliance keeps an
existing database's rows: a database migrated at the old head keeps its
checklists, sign-offs and reminders, and HR keeps its permissions on them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_HEAD = [
    ("compliance", "0004_merge_robust"),
    ("credentials", "0005_category_label_us_spelling"),
    ("skills", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_at_the_old_head_keeps_its_skill_rows_and_reminders():
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    old = _migrate(OLD_HEAD)
    # Content types and HR's permission as the old code created them.
    ContentType.objects.filter(app_label="skills").delete()
    old_type, _ = ContentType.objects.get_or_create(
        app_label="compliance", model="skillchecklist"
    )
    perm, _ = Permission.objects.get_or_create(
        content_type=old_type,
        codename="change_skillchecklist",
        defaults={"name": "Can change skill checklist"},
    )
    hr_group = Group.objects.create(name="Moved-permissions check")
    hr_group.permissions.add(perm)

    user_model = old.get_model("portal", "User")
    staff_model = old.get_model("portal", "StaffProfile")
    checklist_model = old.get_model("compliance", "SkillChecklist")
    signoff_model = old.get_model("compliance", "SkillSignOff")
    item_model = old.get_model("compliance", "SkillSignOffItem")
    reminder_model = old.get_model("compliance", "ReminderSent")
    role = old.get_model("portal", "JobRole").objects.create(
        name="Old role", code="old-role"
    )
    signer = user_model.objects.create(email="signer@example.org")
    person = user_model.objects.create(email="person@example.org")
    staff = staff_model.objects.create(
        user=person,
        employee_id="OLD-1",
        job_role=role,
        hire_date=dt.date(2025, 1, 6),
    )
    checklist = checklist_model.objects.create(name="Vital signs")
    signoff = signoff_model.objects.create(
        staff=staff,
        checklist=checklist,
        observed_on=dt.date(2026, 2, 1),
        signed_by=signer,
        signature_name="Sam Signer",
        met=True,
    )
    item_model.objects.create(sign_off=signoff, position=0, text="Cuff", result="met")
    reminder_model.objects.create(staff=staff, sent_by=signer, item_count=2)

    _migrate(latest)

    from credentials.models import ReminderSent
    from skills.models import SkillChecklist, SkillSignOff

    assert list(SkillChecklist.objects.values_list("name", flat=True)) == [
        "Vital signs"
    ]
    kept = SkillSignOff.objects.get()
    assert (kept.pk, kept.staff_id, kept.signature_name) == (
        signoff.pk,
        staff.pk,
        "Sam Signer",
    )
    assert [i.text for i in kept.items.all()] == ["Cuff"]
    assert ReminderSent.objects.get().item_count == 2
    # HR's permission follows the model to its new app.
    ContentType.objects.clear_cache()
    assert hr_group.permissions.filter(
        content_type__app_label="skills", codename="change_skillchecklist"
    ).exists()
