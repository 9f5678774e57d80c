from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        # Make chat messages reportable and moderatable.
        from .chat import moderation as chat_moderation

        chat_moderation.register()

        from . import notifications

        # Join requests, their answers and chat mentions tell the right people after commit.
        notifications.connect()
