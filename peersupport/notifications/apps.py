from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "peersupport.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import join_requests, roles

        # Join requests and their answers tell the right people after commit.
        join_requests.connect()
        # So does appointing a facilitator or stopping one facilitating.
        roles.connect()

        from peersupport.accounts.signals import data_export_ready

        from . import privacy, receivers

        # The member's notification choices in their data export.
        privacy.register()
        # "Your copy of your data is ready", in-app and by e-mail (no content, no group name).
        data_export_ready.connect(
            receivers.data_export_ready_notify, dispatch_uid="notifications-data-export-ready"
        )
        from . import account_deletion

        # A purged account's notifications, preferences and e-mails go.
        account_deletion.connect()
