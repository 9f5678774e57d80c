"""Safety-scan retention: match details go after 90 days; the verdict stays."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from moderation import tasks
from moderation.models import SafetyScan
from moderation.retention import safety_scan_details_purge
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


def _scan(story, age_days, now):
    return SafetyScan.objects.create(
        content_type=ContentType.objects.get_for_model(story),
        object_id=story.pk,
        group=story.group,
        author=story.author,
        status=SafetyScan.Status.DONE,
        created_at=now - timedelta(days=age_days),
        scanned_at=now - timedelta(days=age_days),
        text_hash="abc123",
        is_crisis=True,
        crisis_category="intent",
        watched_word_action="flag",
        watched_word_phrase="a watched phrase",
        matched={"crisis": ["end it all"]},
        rules_version="v7",
    )


def test_details_are_cleared_after_90_days_and_the_verdict_stays(group):
    now = timezone.now()
    old = _scan(StoryFactory(group=group), 91, now)
    recent = _scan(StoryFactory(group=group), 89, now)
    assert safety_scan_details_purge(now=now) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.matched == {} and old.watched_word_phrase == "" and old.text_hash == ""
    assert (old.is_crisis, old.crisis_category, old.watched_word_action, old.rules_version) == (
        True,
        "intent",
        "flag",
        "v7",
    )
    assert recent.matched == {"crisis": ["end it all"]} and recent.watched_word_phrase


def test_the_purge_task_is_idempotent(group):
    _scan(StoryFactory(group=group), 120, timezone.now())
    assert tasks.safety_scan_details_purge() == 1
    assert tasks.safety_scan_details_purge() == 0
