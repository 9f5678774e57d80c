"""When an account is purged: the member's own notifications, preferences and e-mails go.

Connected in NotificationsConfig.ready().
"""

from peersupport.accounts.signals import account_purging

from .models import (
    EmailOutbox,
    GroupFollow,
    Notification,
    NotificationPreference,
    NotificationSettings,
)


def purge_member_notifications(sender: object, *, user_id: int, **kwargs) -> None:
    EmailOutbox.objects.filter(recipient_id=user_id).delete()
    Notification.objects.filter(recipient_id=user_id).delete()
    NotificationPreference.objects.filter(user_id=user_id).delete()
    NotificationSettings.objects.filter(user_id=user_id).delete()
    GroupFollow.objects.filter(user_id=user_id).delete()


def connect() -> None:
    account_purging.connect(purge_member_notifications, dispatch_uid="notifications-purging")
