"""How moderation sees chat messages: the registry adapter, registered in GroupsConfig.ready().

Every change is broadcast to the room after commit with the chat's own helpers, so people in
the room see a hidden message go and a restored or redacted one come back without reloading.
"""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.translation import gettext as _

from groups.models import Group
from moderation import registry
from peersupport.accounts.models import User

from .models import ChatMessage
from .selectors import message_payload


def broadcast_update(message: ChatMessage) -> None:
    """Send the message as it is now to everyone in the room, after commit."""
    from .services import _broadcast_on_commit

    frame = json.dumps({"type": "update", "message": message_payload(message)})
    _broadcast_on_commit(message.group_id, {"type": "chat.update", "frame": frame})


def broadcast_removed(message: ChatMessage) -> None:
    """Tell the room, after commit, that the message's text is gone."""
    from .services import _broadcast_on_commit

    _broadcast_on_commit(message.group_id, {"type": "chat.deleted", "id": message.seq})


class ChatMessageModeration(registry.ModeratedContent):
    """A chat message; hold keeps it from the room until a facilitator releases it."""

    noun = "chat message"

    def group(self, obj: ChatMessage) -> Group:
        return obj.group

    def author(self, obj: ChatMessage) -> User:
        return obj.author

    def title(self, obj: ChatMessage) -> str:
        return _("A chat message in %(group)s") % {"group": obj.group.name}

    def text(self, obj: ChatMessage) -> str:
        return obj.body

    def url(self, obj: ChatMessage) -> str:
        # The page of history that ends with this message, so it is on the page without JS.
        room = reverse("chat:room", kwargs={"slug": obj.group.slug})
        return f"{room}?before={obj.seq + 1}#msg-{obj.seq}"

    def is_visible(self, obj: ChatMessage) -> bool:
        return obj.is_shown

    def _set(self, obj: ChatMessage, state: str) -> None:
        obj.moderation_state = state
        fields = ["moderation_state"]
        if state == ChatMessage.State.VISIBLE and obj.deleted_at is not None:
            obj.deleted_at = None
            obj.deleted_by = None
            fields += ["deleted_at", "deleted_by"]
        obj.save(update_fields=fields)

    def hide(self, obj: ChatMessage, *, pending: bool) -> None:
        self._set(obj, ChatMessage.State.HIDDEN)
        broadcast_removed(obj)

    def restore(self, obj: ChatMessage) -> None:
        self._set(obj, ChatMessage.State.VISIBLE)
        broadcast_update(obj)

    def hold(self, obj: ChatMessage) -> None:
        if obj.moderation_state != ChatMessage.State.HELD:
            self._set(obj, ChatMessage.State.HELD)

    def release(self, obj: ChatMessage) -> None:
        self._set(obj, ChatMessage.State.VISIBLE)
        broadcast_update(obj)

    def redact(self, obj: ChatMessage, *, new_text: str) -> None:
        obj.body = new_text
        obj.save(update_fields=["body"])
        broadcast_update(obj)


def register() -> None:
    registry.register(ChatMessage, ChatMessageModeration())
