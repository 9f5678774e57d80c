"""The member's notification choices for their export (NotificationsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import DEFAULT_DELIVERY, Delivery, Kind, NotificationPreference, NotificationSettings


def collect_preferences(user) -> list[dict]:  # noqa: ANN001 - the member
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    rows = []
    for kind in Kind:
        delivery = chosen.get(kind.value, DEFAULT_DELIVERY.get(kind, Delivery.IN_APP))
        rows.append(
            {
                "kind": str(kind.label),
                "delivery": str(Delivery(delivery).label),
                "your_choice": kind.value in chosen,
            }
        )
    settings = NotificationSettings.objects.filter(user=user).first()
    if settings is not None:
        rows.append(
            {
                "daily_digest_hour": settings.digest_hour,
                "quiet_hours_start": settings.quiet_start,
                "quiet_hours_end": settings.quiet_end,
                "details_in_emails": settings.include_details,
            }
        )
    return rows


def register() -> None:
    register_export_section(
        "notification_preferences", _("Your notification choices"), collect_preferences, order=50
    )
