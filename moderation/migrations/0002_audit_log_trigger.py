"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the audit log, whoever asks.

TRUNCATE is left alone: test databases are emptied that way between tests, and only the
database owner can issue it.
"""
from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION moderation_auditlog_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'moderation_auditlogentry is append-only (% refused)', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS moderation_auditlog_append_only ON moderation_auditlogentry",
    """
    CREATE TRIGGER moderation_auditlog_append_only
        BEFORE UPDATE OR DELETE ON moderation_auditlogentry
        FOR EACH ROW EXECUTE FUNCTION moderation_auditlog_refuse_change()
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS moderation_auditlog_append_only ON moderation_auditlogentry",
    "DROP FUNCTION IF EXISTS moderation_auditlog_refuse_change()",
]


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
