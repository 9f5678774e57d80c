"""The one call content makes after saving text: `content_posted(content=obj)`.

Stories, replies and chat messages call it inside their write transaction, right after a new or
edited text is saved. Moderation's own parts (the safety scan, for example) subscribe with
`@on_content_posted` from moderation's AppConfig.ready(), so content never needs to know what
happens next, and moderation never imports content.
"""

from collections.abc import Callable
from typing import Any

Listener = Callable[..., None]
_listeners: list[Listener] = []


def on_content_posted(listener: Listener) -> Listener:
    """Subscribe `listener(*, content, is_edit)`; used as a decorator. Subscribing twice is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def content_posted(*, content: Any, is_edit: bool = False) -> None:
    """Tell moderation that `content` was just saved (inside the caller's transaction)."""
    for listener in list(_listeners):
        listener(content=content, is_edit=is_edit)
