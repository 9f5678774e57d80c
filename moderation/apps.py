from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import live, notify, registry, safety  # noqa: F401 - safety subscribes to hooks.content_posted

        # Member profiles are moderated here; stories, replies and chat register their own
        # adapters in their apps' ready().
        registry.register(get_user_model(), registry.ProfileModeration())
        # Reports, held posts, notices and appeals reach the right people's notification centre.
        notify.connect()
        # The urgent banner rides on the notifications socket.
        live.connect()
        from . import privacy

        # Reports made, notices received and appeals in the member's data export.
        privacy.register()
        from . import account_deletion

        # A purged account's words leave the moderation records; the audit log is untouched.
        account_deletion.connect()
        from . import plan_shares

        # A member showing their safety plan to facilitators (and stopping) is audited.
        plan_shares.connect()
