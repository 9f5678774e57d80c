from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "peersupport.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import join_requests

        # Join requests and their answers tell the right people after commit.
        join_requests.connect()
        from . import account_deletion

        # A purged account's notifications, preferences and e-mails go.
        account_deletion.connect()
