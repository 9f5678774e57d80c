from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "peersupport.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import sessions

        # Each signed-in session gets a row for the member's list at /me/security/.
        user_logged_in.connect(sessions.on_logged_in, dispatch_uid="accounts-session-in")
        user_logged_out.connect(sessions.on_logged_out, dispatch_uid="accounts-session-out")
