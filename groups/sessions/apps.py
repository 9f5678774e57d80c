from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Scheduled facilitated sessions: a layer above notifications, below chat."""

    name = "groups.sessions"
    label = "group_sessions"
    verbose_name = _("Scheduled sessions")

    def ready(self) -> None:
        from . import privacy

        # The member's RSVPs, attendance and hosted sessions in their data export.
        privacy.register()
        from . import account_deletion

        # A purged account's RSVPs, attendance and feed go; its places pass to the waiting list.
        account_deletion.connect()
