"""Database constraints hold even when a service is bypassed."""

import pytest
from django.db import IntegrityError, transaction

from stories.models import Reaction, Revision
from tests.factories import ReplyFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_reaction_of_each_kind_per_person_per_story():
    story, user = StoryFactory(), UserFactory()
    Reaction.objects.create(user=user, story=story, kind="hear")
    Reaction.objects.create(user=user, story=story, kind="metoo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(user=user, story=story, kind="hear")


def test_one_reaction_of_each_kind_per_person_per_reply():
    reply, user = ReplyFactory(), UserFactory()
    Reaction.objects.create(user=user, reply=reply, kind="thanks")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(user=user, reply=reply, kind="thanks")


def test_reaction_needs_exactly_one_target():
    reply = ReplyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(user=UserFactory(), story=reply.story, reply=reply, kind="hear")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(user=UserFactory(), kind="hear")


def test_revision_needs_exactly_one_target():
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(body="x")


def test_story_warning_labels_follow_stored_themes():
    story = StoryFactory(warnings="self-harm,grief", warning_note="a car accident")
    assert story.warning_labels == ["Self-harm", "Grief"]
    assert story.has_warning
