"""A few kind message templates to start from; administrators edit them in the admin."""

from django.db import migrations

TEMPLATES = [
    (
        "Checking in after your post",
        "Hi, I'm one of the facilitators here. I read what you shared and I wanted to check in "
        "with you privately. How are you doing right now? You're not alone, and you're welcome "
        "to reply here whenever you feel ready.",
        True,
    ),
    (
        "Crisis lines, gently",
        "I'm glad you shared how you're feeling. If things feel too much right now, the people "
        "on the crisis lines on the \"Get help now\" page (the link is at the top of every page) "
        "are there to listen, day and night. If you're in immediate danger, please call your "
        "local emergency number. I'm here too, and you can reply to me here.",
        True,
    ),
    (
        "A gentle reminder of the group's rules",
        "Hi, I'm one of the facilitators. I wanted to share a gentle reminder of the group's "
        "rules, so everyone can feel safe here. Thank you for being part of the group; you can "
        "reply here if you'd like to talk about it.",
        False,
    ),
]


def add_templates(apps, schema_editor):
    MessageTemplate = apps.get_model("moderation", "MessageTemplate")
    for title, body, supportive in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            title=title, defaults={"body": body, "is_supportive": supportive}
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_console_messages_followups_bundles")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
