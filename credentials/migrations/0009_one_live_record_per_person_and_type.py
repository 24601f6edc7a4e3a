"""Records put on file before the one rule of a credential that counts: each is
superseded by the next record of its person and type not returned by HR, so the
newest record not returned is the only live one (``credential_chain_relink``)."""

from django.db import migrations


def relink(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    newer: dict[tuple[int, int], int | None] = {}
    for pk, staff_id, type_id, verification, superseded_by in (
        Credential.objects.order_by("-created_at", "-pk")
        .values_list(
            "pk",
            "staff_id",
            "credential_type_id",
            "verification_status",
            "superseded_by_id",
        )
        .iterator()
    ):
        key = (staff_id, type_id)
        after = newer.get(key)
        if superseded_by != after:
            Credential.objects.filter(pk=pk).update(superseded_by_id=after)
        if verification != "rejected":
            newer[key] = pk


class Migration(migrations.Migration):
    dependencies = [("credentials", "0008_credentialtype_instructor_credentials")]

    operations = [migrations.RunPython(relink, migrations.RunPython.noop)]
