"""On PostgreSQL, full-text search has GIN indexes whose expressions match the selector's query."""

import pytest
from django.conf import settings
from django.db import connection

from stories.selectors import story_search_for_viewer
from tests.factories import MembershipFactory, StoryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL full-text search only"),
]


def test_gin_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'stories_%%_search_idx'"
        )
        rows = dict(cursor.fetchall())
    assert set(rows) == {"stories_story_search_idx", "stories_reply_search_idx"}
    assert all("gin" in definition.lower() for definition in rows.values())


def test_planner_can_use_the_story_index(group):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM stories_story WHERE to_tsvector('english'::regconfig, "
            "COALESCE(title, '') || ' ' || COALESCE(body, '')) @@ websearch_to_tsquery('english'::regconfig, 'sea')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "stories_story_search_idx" in plan


def test_full_text_search_stems_words(group):
    member = MembershipFactory(group=group).user
    StoryFactory(group=group, title="Walking helps", body="I walked by the river every morning.")
    page = story_search_for_viewer(user=member, query="walks rivers")
    assert [s.title for s in page.object_list] == ["Walking helps"]
