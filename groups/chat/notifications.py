"""Who hears about a chat message: members named with "@" in it. Run after commit, ids only.

The chat's post service schedules this with `transaction.on_commit` when a saved message may
mention someone; nothing here listens to model signals.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from groups import permissions
from peersupport.notifications import services as notifications
from peersupport.notifications.mentions import mentioned_users
from peersupport.notifications.models import Kind

from .models import ChatMessage


def may_mention(body: str) -> bool:
    """A cheap first look: most chat messages mention nobody."""
    return "@" in body


@transaction.atomic
def chat_message_mention_notify(message_id: int) -> None:
    """Tell members named with "@" in a chat message, if they can read the group."""
    message = ChatMessage.objects.select_related("group", "author").filter(pk=message_id).first()
    # A message held or taken down by moderation tells nobody (moderation tells facilitators).
    if message is None or not message.is_shown:
        return
    group = message.group
    url = reverse("chat:room", kwargs={"slug": group.slug})
    for user in mentioned_users(message.body):
        if (
            user.pk == message.author_id
            or not user.is_active
            or not permissions.access_for(user, group).can_read
        ):
            continue
        notifications.notify(
            recipient=user,
            kind=Kind.MENTION,
            url=url,
            group=group,
            target=message,
            text=_("%(name)s mentioned you in the group chat.")
            % {"name": message.author.display_name},
        )
