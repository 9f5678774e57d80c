"""Stories' domain events, sent after commit with ids only.

The stories services (and stories' moderation adapter, when a held post is released) send
them; `stories/notifications.py` subscribes in StoriesConfig.ready() and tells the right
people. A receiver that fails is logged and never undoes the write.

- `story_published(story_id)`: a story became visible to the group (posted, or released).
- `story_edited(story_id)`: a visible story's text changed (an edit or a redaction).
- `reply_published(reply_id)`, `reply_edited(reply_id)`: the same for replies.
- `reaction_added(reaction_id)`: someone sent support to a story or reply.
"""

from django.db import transaction
from django.dispatch import Signal

story_published = Signal()
story_edited = Signal()
reply_published = Signal()
reply_edited = Signal()
reaction_added = Signal()


def send_on_commit(signal: Signal, **ids: int) -> None:
    """Send `signal` once the surrounding transaction commits; a failing receiver is logged."""
    transaction.on_commit(lambda: signal.send_robust(sender=None, **ids))
