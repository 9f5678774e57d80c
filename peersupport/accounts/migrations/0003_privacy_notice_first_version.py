"""Publish the first privacy notice, so /privacy/ has words from the start."""

from pathlib import Path

from django.db import migrations

NOTICE = Path(__file__).resolve().parent.parent / "privacy_notice_v1.md"


def publish_first(apps, schema_editor):
    from peersupport.markdown import render_markdown

    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    if PrivacyNotice.objects.exists():
        return
    body = NOTICE.read_text(encoding="utf-8")
    PrivacyNotice.objects.create(version=1, body=body, body_html=render_markdown(body), summary="")
    # Everyone who joined before there was a notice is told about it once.
    apps.get_model("accounts", "User").objects.update(privacy_notice_unseen=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_privacy_notice_consent_export")]

    operations = [migrations.RunPython(publish_first, migrations.RunPython.noop)]
