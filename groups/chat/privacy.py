"""The member's own chat messages for their export (ChatConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import ChatMessage


def collect_chat_messages(user) -> list[dict]:  # noqa: ANN001 - the member
    messages = (
        ChatMessage.objects.filter(author=user, deleted_at__isnull=True)
        .select_related("group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "group": m.group.name,
            "message": m.body,
            "moderation_state": m.moderation_state,
            "created_at": m.created_at,
        }
        for m in messages
    ]


def register() -> None:
    register_export_section(
        "chat_messages", _("Your chat messages"), collect_chat_messages, order=30
    )
