"""Helpers for the safety pipeline's tests: real content through the real services.

Until stories and chat register their own moderation adapters and call
`moderation.hooks.content_posted` (another branch), these helpers register minimal adapters
and make the call themselves, only when the services did not.
"""

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from groups.chat.models import ChatMessage
from moderation import hooks, registry
from moderation.models import SafetyScan
from stories.models import ModerationState, Reply, Story


class _PostableStandIn(registry.ModeratedContent):
    def author(self, obj: Any) -> Any:
        return obj.author

    def is_visible(self, obj: Any) -> bool:
        return obj.is_visible

    def hold(self, obj: Any) -> None:
        obj.moderation_state = ModerationState.HELD
        obj.save(update_fields=["moderation_state"])

    def release(self, obj: Any) -> None:
        obj.moderation_state = ModerationState.VISIBLE
        obj.save(update_fields=["moderation_state"])

    def hide(self, obj: Any, *, pending: bool) -> None:
        obj.moderation_state = ModerationState.HIDDEN
        obj.save(update_fields=["moderation_state"])

    def restore(self, obj: Any) -> None:
        self.release(obj)


class StoryStandIn(_PostableStandIn):
    noun = "story"

    def group(self, obj: Story) -> Any:
        return obj.group

    def title(self, obj: Story) -> str:
        return obj.title

    def text(self, obj: Story) -> str:
        return f"{obj.title}\n{obj.body}"

    def url(self, obj: Story) -> str:
        return obj.get_absolute_url()


class ReplyStandIn(_PostableStandIn):
    noun = "reply"

    def group(self, obj: Reply) -> Any:
        return obj.story.group

    def title(self, obj: Reply) -> str:
        return f"A reply to “{obj.story.title}”"

    def text(self, obj: Reply) -> str:
        return obj.body

    def url(self, obj: Reply) -> str:
        return obj.story.get_absolute_url()


class ChatStandIn(registry.ModeratedContent):
    noun = "chat message"
    can_hold = False

    def group(self, obj: ChatMessage) -> Any:
        return obj.group

    def author(self, obj: ChatMessage) -> Any:
        return obj.author

    def title(self, obj: ChatMessage) -> str:
        return f"Chat message #{obj.seq}"

    def text(self, obj: ChatMessage) -> str:
        return obj.body

    def url(self, obj: ChatMessage) -> str:
        return "/"

    def is_visible(self, obj: ChatMessage) -> bool:
        return not obj.is_deleted


STAND_INS = [(Story, StoryStandIn), (Reply, ReplyStandIn), (ChatMessage, ChatStandIn)]


def ensure_adapters() -> list[type]:
    """Register stand-ins for content models nobody registered; returns the models registered."""
    added = []
    for model, adapter in STAND_INS:
        if not registry.is_registered(model):
            registry.register(model, adapter())
            added.append(model)
    return added


def scan_for(obj: Any) -> SafetyScan | None:
    return SafetyScan.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()


def _posted(obj: Any) -> Any:
    # The content services call the hook themselves once the moderation wiring is merged.
    if scan_for(obj) is None:
        hooks.content_posted(content=obj, is_edit=False)
    return obj


def post_story(*, group, author, body: str, title: str = "A hard week") -> Story:
    from stories.services import story_submit

    with transaction.atomic():
        return _posted(story_submit(group=group, author=author, title=title, body=body))


def post_reply(*, story, author, body: str) -> Reply:
    from stories.services import reply_submit

    with transaction.atomic():
        return _posted(reply_submit(story=story, author=author, body=body))


def post_chat(*, group, author, body: str) -> ChatMessage:
    from groups.chat.services import chat_message_post

    with transaction.atomic():
        return _posted(
            chat_message_post(
                group=group, author=author, body=body, client_id=uuid.uuid4().hex
            ).message
        )
