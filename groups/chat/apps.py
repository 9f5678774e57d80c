from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    """Live group chat: a content app above groups, moderation and notifications."""

    name = "groups.chat"
    label = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        # Make chat messages reportable and moderatable.
        from . import moderation

        moderation.register()
        from . import privacy

        # The member's chat messages in their data export.
        privacy.register()

        # Group core says when a member's access changes; open sockets re-check it.
        from groups.signals import membership_access_changed

        from . import services

        membership_access_changed.connect(
            services.member_access_changed, dispatch_uid="chat-member-access-changed"
        )
        from . import account_deletion

        # A purged account's messages are emptied and marked removed.
        account_deletion.connect()
