"""Every write about notifications, one module per noun.

- `centre`: notify, read state, the live unread count, fan-out to moderators and admins
- `preferences`: per-kind delivery, e-mail settings, one-click unsubscribe
- `outbox`: e-mail delivery (enqueue, quiet hours, send once, digests, sweep)
- `follows`: following a group's new stories

The public names are re-exported here, so `notifications.services.notify(...)` keeps working.
"""

from .centre import (
    notification_mark_all_read,
    notification_mark_read,
    notify,
    notify_group_moderators,
    notify_site_admins,
    push_unread_count,
    unread_count,
    user_group_name,
)
from .follows import group_follow_set, group_followers, group_is_followed
from .outbox import (
    MAX_EMAIL_ATTEMPTS,
    SUBJECTS,
    SWEEP_AFTER,
    Deferred,
    build_email,
    digest_prepare,
    enqueue_digest,
    enqueue_email,
    outbox_deliver,
    outbox_due_for_sweep,
    quiet_until,
)
from .preferences import (
    UNSUBSCRIBE_SALT,
    delivery_for,
    duty_set,
    email_unsubscribe,
    is_off_duty,
    off_duty_user_ids,
    preferences_update,
    settings_for,
    unsubscribe_token,
    unsubscribe_token_read,
)

__all__ = [
    "MAX_EMAIL_ATTEMPTS",
    "SUBJECTS",
    "SWEEP_AFTER",
    "UNSUBSCRIBE_SALT",
    "Deferred",
    "build_email",
    "delivery_for",
    "duty_set",
    "digest_prepare",
    "email_unsubscribe",
    "enqueue_digest",
    "enqueue_email",
    "group_follow_set",
    "group_followers",
    "group_is_followed",
    "is_off_duty",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "notify_group_moderators",
    "notify_site_admins",
    "outbox_deliver",
    "off_duty_user_ids",
    "outbox_due_for_sweep",
    "preferences_update",
    "push_unread_count",
    "quiet_until",
    "settings_for",
    "unread_count",
    "unsubscribe_token",
    "unsubscribe_token_read",
    "user_group_name",
]
