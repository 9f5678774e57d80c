"""Demo stories: idempotent, authored by group members, some warned, anonymous and waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Membership
from peersupport.demo import seed_people
from stories import demo
from stories.models import Reply, Story
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_authors_are_members():
    for slug in ("anxiety-support", "living-with-depression", "new-parents", "grief-and-loss"):
        GroupFactory(slug=slug, name=slug)
    users = seed_people()
    demo.seed(users=users, log=lambda _: None)
    counts = (Story.objects.count(), Reply.objects.count())
    demo.seed(users=users, log=lambda _: None)
    assert (Story.objects.count(), Reply.objects.count()) == counts
    assert counts[0] > 8 and counts[1] > 3
    for story in Story.objects.all():
        assert Membership.objects.filter(user=story.author, group=story.group).exists()
        assert story.reply_count == story.replies.count()
    assert Story.objects.exclude(warnings="").exists()
    assert Story.objects.filter(is_anonymous=True).exists()
    waiting = Story.objects.filter(
        replies_welcome=True, reply_count=0, created_at__lte=timezone.now() - timedelta(hours=12)
    )
    assert waiting.exists()
    assert not Story.objects.filter(group__slug="carers-circle").exists()  # missing group skipped
