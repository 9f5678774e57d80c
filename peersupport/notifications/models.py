"""In-app notifications, each member's delivery preferences, and the e-mail outbox.

Imports point one way: notifications may know groups (a notification may name its group), but
never stories or moderation: those call `notifications.services.notify` and pass a target.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY_TO_MY_STORY = "reply_to_my_story", _("A reply to my story")
    REPLY_IN_FOLLOWED_STORY = "reply_in_followed_story", _("A reply in a story I follow")
    REACTION_SUMMARY = "reaction_summary", _("Reactions to my story")
    MENTION = "mention", _("Someone mentions me")
    JOIN_REQUEST_DECIDED = "join_request_decided", _("My request to join a group is decided")
    MODERATION_OUTCOME = "moderation_outcome", _("A moderation decision about my post")
    NEW_STORY_IN_FOLLOWED_GROUP = (
        "new_story_in_followed_group",
        _("A new story in a group I follow"),
    )
    NEW_REPORT = "new_report", _("A new report to review (facilitators)")
    URGENT_FLAG = "urgent_flag", _("Someone may be at risk (facilitators)")
    JOIN_REQUEST = "join_request", _("Someone asks to join my group (facilitators)")
    HELD_POST = "held_post", _("A post is held for review (facilitators)")
    ROLE_CHANGED = "role_changed", _("I am appointed, or stop being, a facilitator")
    CHECK_IN = "check_in", _("A facilitator would welcome a check-in (administrators)")
    DATA_EXPORT_READY = "data_export_ready", _("My copy of my data is ready")
    SESSION_REMINDER = "session_reminder", _("A session I'm going to starts soon")
    SESSION_UPDATE = (
        "session_update",
        _("A session I'm going to is moved or cancelled, or a place opens"),
    )
    CONTACT_MESSAGE = "contact_message", _("A message from the contact form (administrators)")


FACILITATOR_KINDS = frozenset(
    {
        Kind.NEW_REPORT,
        Kind.URGENT_FLAG,
        Kind.JOIN_REQUEST,
        Kind.HELD_POST,
        Kind.CHECK_IN,
        Kind.CONTACT_MESSAGE,
    }
)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily e-mail digest")
    IN_APP = "in_app", _("In the app only")
    OFF = "off", _("Off")


# Sensible defaults: what someone is waiting for arrives at once; the rest waits for the digest.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.REPLY_TO_MY_STORY: Delivery.IMMEDIATE,
    Kind.REPLY_IN_FOLLOWED_STORY: Delivery.DIGEST,
    Kind.REACTION_SUMMARY: Delivery.DIGEST,
    Kind.MENTION: Delivery.IMMEDIATE,
    Kind.JOIN_REQUEST_DECIDED: Delivery.IMMEDIATE,
    Kind.MODERATION_OUTCOME: Delivery.IMMEDIATE,
    Kind.NEW_STORY_IN_FOLLOWED_GROUP: Delivery.DIGEST,
    Kind.NEW_REPORT: Delivery.IMMEDIATE,
    Kind.URGENT_FLAG: Delivery.IMMEDIATE,
    Kind.JOIN_REQUEST: Delivery.DIGEST,
    Kind.HELD_POST: Delivery.IMMEDIATE,
    Kind.ROLE_CHANGED: Delivery.IMMEDIATE,
    Kind.CHECK_IN: Delivery.IMMEDIATE,
    Kind.DATA_EXPORT_READY: Delivery.IMMEDIATE,
    Kind.SESSION_REMINDER: Delivery.IMMEDIATE,
    Kind.SESSION_UPDATE: Delivery.IMMEDIATE,
    Kind.CONTACT_MESSAGE: Delivery.DIGEST,
}

# Someone may be at risk: a facilitator may choose how they hear about it, never not at all.
NEVER_OFF = frozenset({Kind.URGENT_FLAG})

# Scheduled sessions: their e-mail subjects never name the group or the session, even for a
# member who lets other e-mails name their groups (a reminder lands on a lock screen on time).
SUBJECT_NEVER_NAMES = frozenset({Kind.SESSION_REMINDER, Kind.SESSION_UPDATE})

# The outbox's kind for the daily digest (not a notification kind).
DIGEST_KIND = "digest"


class Notification(models.Model):
    class EmailState(models.TextChoices):
        NONE = "none", _("No e-mail")
        IMMEDIATE = "immediate", _("E-mailed on its own")
        DIGEST_PENDING = "digest_pending", _("Waiting for the digest")
        DIGESTED = "digested", _("Sent in a digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("link"), max_length=500)
    # Short, plain and safe: shown in the centre; in e-mails only if the member opted in.
    text = models.CharField(_("text"), max_length=200)
    email_state = models.CharField(
        max_length=20, choices=EmailState.choices, default=EmailState.NONE
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["email_state", "recipient"], name="notif_digest_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="notif_pref_known_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values), name="notif_pref_known_delivery"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.delivery}"


class NotificationSettings(models.Model):
    """A member's e-mail settings: digest hour, quiet hours and what e-mails may say."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("daily digest hour"), default=18, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    quiet_start = models.PositiveSmallIntegerField(
        _("quiet hours start"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    quiet_end = models.PositiveSmallIntegerField(
        _("quiet hours end"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    include_details = models.BooleanField(
        _("include post text and group names in e-mails"), default=False
    )
    # A facilitator taking a break: their groups' alerts go to the other facilitators (or, if
    # none is on duty, to the administrators) until they switch back.
    off_duty_since = models.DateTimeField(_("off duty since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="notif_settings_digest_hour"
            ),
            models.CheckConstraint(
                condition=(models.Q(quiet_start__isnull=True) & models.Q(quiet_end__isnull=True))
                | (models.Q(quiet_start__lte=23) & models.Q(quiet_end__lte=23)),
                name="notif_settings_quiet_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"settings for {self.user_id}"


class EmailOutbox(models.Model):
    """One e-mail to send. Unique per (recipient, kind, target, window): redelivery is a no-op."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    target_key = models.CharField(max_length=100)
    window_key = models.CharField(max_length=40)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # Quiet hours: not before this moment.
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_key", "window_key"],
                name="email_outbox_once_per_window",
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="email_outbox_sweep")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} [{self.status}]"


def centre_url() -> str:
    return reverse("notifications:centre")


class GroupFollow(models.Model):
    """A member asked to hear about new stories in one group (kind new_story_in_followed_group)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="notif_group_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows group {self.group_id}"
