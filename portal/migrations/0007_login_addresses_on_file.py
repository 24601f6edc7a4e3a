"""Each account's login email on file with allauth as its primary, verified
address, so a later change of login email is told apart from it."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("portal", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user_id, email in User.objects.exclude(email="").values_list("pk", "email"):
        EmailAddress.objects.filter(user_id=user_id).exclude(
            email__iexact=email
        ).update(primary=False)
        updated = EmailAddress.objects.filter(
            user_id=user_id, email__iexact=email
        ).update(primary=True, verified=True)
        if not updated:
            EmailAddress.objects.create(
                user_id=user_id, email=email, primary=True, verified=True
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_accesschange_email_change"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
