from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "peersupport.pages"
    label = "pages"
    verbose_name = _("Pages and contact")

    def ready(self) -> None:
        from . import privacy

        # A member's contact messages: in their export, removed with their account.
        privacy.register()
