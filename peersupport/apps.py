from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerSupportConfig(AppConfig):
    name = "peersupport"
    verbose_name = _("Peer Support")
