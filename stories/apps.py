from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        # Make stories and replies reportable and moderatable.
        from . import moderation

        moderation.register()

        from . import notifications

        # New stories, replies and reactions tell the right people after commit.
        notifications.connect()
        from . import privacy

        # The member's stories, replies and reactions in their data export.
        privacy.register()

        from . import account_deletion

        # A purged account's stories and replies are removed or kept as the member chose.
        account_deletion.connect()
