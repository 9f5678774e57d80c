from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        from . import account_deletion

        # A purged account's memberships go silently (facilitators are not told who left).
        account_deletion.connect()
