"""When an account is purged: the member's chat messages are emptied and marked removed.

Chat is a live conversation, so its messages are removed whichever choice the member made; the
per-room numbers stay (reconnecting clients replay by number). Connected in ChatConfig.ready().
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from peersupport.accounts.signals import account_deactivated, account_purging
from peersupport.notifications.models import Notification

from .models import ChatMessage, ChatPresence
from .services import member_signed_out


def purge_member_messages(sender: object, *, user_id: int, **kwargs) -> None:
    mine = ChatMessage.objects.filter(author_id=user_id)
    Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(ChatMessage),
        target_id__in=mine.values("pk"),
    ).delete()
    mine.update(body="", deleted_at=Coalesce(F("deleted_at"), timezone.now()))
    ChatPresence.objects.filter(user_id=user_id).delete()


def connect() -> None:
    account_purging.connect(purge_member_messages, dispatch_uid="chat-account-purging")
    account_deactivated.connect(member_signed_out, dispatch_uid="chat-account-deactivated")
