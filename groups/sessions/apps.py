from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Scheduled facilitated sessions: a layer above notifications, below chat."""

    name = "groups.sessions"
    label = "group_sessions"
    verbose_name = _("Scheduled sessions")
