"""A test-only stand-in for group content: a join request's message plays a post.

Moderation must never import stories or chat, and a test-only model would need migrations, so
the tests register this adapter over `groups.JoinRequest` (group = the request's group, author
= the requester, text = the message). Visibility is kept in `decision_note` so it survives
across requests and the live server. The real adapters (stories, replies, chat) are registered
by those apps.
"""

from typing import Any

from groups.models import JoinRequest
from moderation import registry

VISIBLE = ""


class JoinRequestStandIn(registry.ModeratedContent):
    noun = "post"

    def group(self, obj: JoinRequest) -> Any:
        return obj.group

    def author(self, obj: JoinRequest) -> Any:
        return obj.user

    def title(self, obj: JoinRequest) -> str:
        return f"A post by {obj.user.display_name}"

    def text(self, obj: JoinRequest) -> str:
        return obj.message

    def url(self, obj: JoinRequest) -> str:
        return "/"

    def is_visible(self, obj: JoinRequest) -> bool:
        return obj.decision_note == VISIBLE

    def _mark(self, obj: JoinRequest, value: str) -> None:
        obj.decision_note = value
        obj.save(update_fields=["decision_note"])

    def hide(self, obj: JoinRequest, *, pending: bool) -> None:
        self._mark(obj, "hidden-pending" if pending else "hidden")

    def restore(self, obj: JoinRequest) -> None:
        self._mark(obj, VISIBLE)

    def redact(self, obj: JoinRequest, *, new_text: str) -> None:
        obj.message = new_text
        obj.save(update_fields=["message"])

    def hold(self, obj: JoinRequest) -> None:
        self._mark(obj, "held")

    def release(self, obj: JoinRequest) -> None:
        self._mark(obj, VISIBLE)


def register_standin() -> None:
    registry.register(JoinRequest, JoinRequestStandIn())


def unregister_standin() -> None:
    registry.unregister(JoinRequest)


def make_post(*, group, author, text: str = "A hard week, but I'm still here.") -> JoinRequest:
    """A 'post' by `author` in `group`, reportable once the stand-in is registered."""
    return JoinRequest.objects.create(group=group, user=author, message=text)
