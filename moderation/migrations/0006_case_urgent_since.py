from django.db import migrations, models
from django.db.models import F


def backfill(apps, schema_editor):
    # Cases urgent before this field existed: the best we know is when they opened.
    Case = apps.get_model("moderation", "Case")
    Case.objects.filter(is_urgent=True, urgent_since__isnull=True).update(urgent_since=F("opened_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_console_default_message_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="urgent_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
