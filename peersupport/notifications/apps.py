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
