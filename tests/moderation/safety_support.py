"""Helpers for the safety pipeline's tests: real content through the real services.

Stories and chat register their own moderation adapters and call
`moderation.hooks.content_posted` from their services, so these helpers only post.
"""

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from groups.chat.models import ChatMessage
from moderation.models import SafetyScan
from stories.models import Reply, Story


def scan_for(obj: Any) -> SafetyScan | None:
    return SafetyScan.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()


def post_story(*, group, author, body: str, title: str = "A hard week") -> Story:
    from stories.services import story_submit

    with transaction.atomic():
        return story_submit(group=group, author=author, title=title, body=body)


def post_reply(*, story, author, body: str) -> Reply:
    from stories.services import reply_submit

    with transaction.atomic():
        return reply_submit(story=story, author=author, body=body)


def post_chat(*, group, author, body: str) -> ChatMessage:
    from groups.chat.services import chat_message_post

    with transaction.atomic():
        return chat_message_post(
            group=group, author=author, body=body, client_id=uuid.uuid4().hex
        ).message
