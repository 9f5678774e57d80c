from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPlanConfig(AppConfig):
    name = "peersupport.safety_plan"
    label = "safety_plan"
    verbose_name = _("Safety plans")

    def ready(self) -> None:
        from . import privacy

        # The plan joins its owner's data export and is deleted with the account.
        privacy.connect()
