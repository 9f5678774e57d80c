"""Demo safety plan for `seed_demo`: Ash has a half-done plan (so the crisis panel and /help/
show one); everyone else has none, so the invitation shows too."""

from collections.abc import Callable

from peersupport.accounts.models import User

from .content import Contact, PlanContent
from .services import safety_plan_save


def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    ash = users.get("ash")
    if ash is None:
        return
    safety_plan_save(
        owner=ash,
        content=PlanContent(
            warning_signs=["Not sleeping", "Cancelling plans with friends"],
            coping=["Hold something cold", "Walk to the end of the road and back"],
            people=[Contact("My sister Jo", "07700 900123")],
            reasons=["My cat, Pebble", "Seeing the sea in spring"],
        ),
    )
    log("Demo safety plan ready (Ash).")
