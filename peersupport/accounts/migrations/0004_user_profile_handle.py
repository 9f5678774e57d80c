"""Give every member a random profile handle (profiles were addressed by the counted id)."""

import secrets

from django.db import migrations, models

import peersupport.accounts.models


def fill_handles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken: set[str] = set()
    for user in User.objects.filter(handle__isnull=True).only("pk"):
        handle = secrets.token_urlsafe(12)[:16]
        while handle in taken:
            handle = secrets.token_urlsafe(12)[:16]
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(handle=handle)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_privacy_notice_first_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="handle",
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="handle",
            field=models.CharField(
                default=peersupport.accounts.models.new_handle,
                editable=False,
                max_length=16,
                unique=True,
            ),
        ),
    ]
