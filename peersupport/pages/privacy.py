"""A member's contact-form messages: in their data export, and gone when the account is purged.

Both are connected in PagesConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section
from peersupport.accounts.signals import account_purging

from .models import ContactMessage


def collect_contact_messages(user) -> list[dict]:  # noqa: ANN001 - the member
    return [
        {
            "sent": m.created_at.isoformat(),
            "topic": str(m.get_topic_display()),
            "message": m.message,
        }
        for m in ContactMessage.objects.filter(sender=user).order_by("created_at")
    ]


def purge_contact_messages(sender: object, *, user_id: int, **kwargs) -> None:
    ContactMessage.objects.filter(sender_id=user_id).delete()


def register() -> None:
    register_export_section(
        "contact_messages",
        _("Messages you sent through the contact form"),
        collect_contact_messages,
        order=60,
    )
    account_purging.connect(purge_contact_messages, dispatch_uid="pages-purging")
