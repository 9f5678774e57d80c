from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from . import permissions
        from .models import Group, JoinRequest, Membership

        # access_for is computed once per HTTP request; any write that may change it clears it.
        request_started.connect(permissions.access_memo_start, dispatch_uid="access-memo-start")
        request_finished.connect(permissions.access_memo_end, dispatch_uid="access-memo-end")
        for model in (Group, Membership, JoinRequest, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(
                    permissions.access_memo_clear,
                    sender=model,
                    dispatch_uid=f"access-memo-clear-{signal is post_save}-{model._meta.label}",
                )

        from . import privacy

        # The member's memberships and join requests in their data export.
        privacy.register()
        from . import account_deletion

        # A purged account's memberships go silently (facilitators are not told who left).
        account_deletion.connect()
