"""GIN indexes for full-text search on PostgreSQL; SQLite search uses a simple fallback instead.

The index expressions match what `stories.selectors` builds with SearchVector(..., config="english"),
so the planner can use them.
"""
from django.db import migrations

INDEXES = {
    "stories_story_search_idx": (
        "stories_story",
        "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))",
    ),
    "stories_reply_search_idx": ("stories_reply", "to_tsvector('english'::regconfig, COALESCE(body, ''))"),
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
