"""Live group chat: room settings, persisted messages and who is in the room now.

The chat app's own models (label `chat`); they moved here from the groups app with their data
(groups migration 0005, chat migrations 0001-0002).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group

# Chat retention: facilitators choose between 30 and 730 days; a year unless they change it.
DEFAULT_RETENTION_DAYS = 365
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 730


class ChatRoomSettings(models.Model):
    """Per-room settings, and the row locked to hand out each room's message numbers."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="chat_settings"
    )
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds between messages per member)"), default=0
    )
    facilitator_only = models.BooleanField(
        _("open only while a facilitator is present"), default=False
    )
    # Retention: messages older than this are deleted nightly (the privacy notice says so).
    retention_days = models.PositiveIntegerField(
        _("keep chat messages for (days)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(MIN_RETENTION_DAYS), MaxValueValidator(MAX_RETENTION_DAYS)],
    )
    # The last sequence number handed out in this room; bumped under a row lock.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat room settings")
        verbose_name_plural = _("chat room settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_days__gte=30, retention_days__lte=730),
                name="chat_room_retention_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Chat settings for {self.group}"


class ChatMessage(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HELD = "held", _("Held for a facilitator")
        HIDDEN = "hidden", _("Hidden by a facilitator")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="chat_messages")
    # Per-room number, 1, 2, 3, ...: what clients call the message id and replay from.
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    # Chosen by the sender's client so that a resend is recognised and ignored.
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Moderation's view of the message (a removal by a facilitator also sets deleted_at).
    moderation_state = models.CharField(max_length=10, choices=State.choices, default=State.VISIBLE)

    class Meta:
        ordering = ["group", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "seq"], name="groups_chatmessage_seq_per_room"
            ),
            models.UniqueConstraint(
                fields=["author", "client_id"], name="groups_chatmessage_client_id_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "author", "created_at"], name="groups_chat_author_recent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.group_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_shown(self) -> bool:
        """Whether the room sees the text (not removed, hidden or waiting for a facilitator)."""
        return self.deleted_at is None and self.moderation_state == self.State.VISIBLE


class ChatPresence(models.Model):
    """One open WebSocket connection to a room (a person with two tabs has two rows)."""

    channel_name = models.CharField(max_length=200, unique=True)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="chat_presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    show_name = models.BooleanField(default=False)
    is_moderator = models.BooleanField(default=False)
    connected_at = models.DateTimeField(default=timezone.now)
    # Refreshed by the socket's heartbeat while its server process lives; a row whose
    # heartbeat stopped (the process crashed) is swept away by chat_presence_sweep.
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["group", "is_moderator"], name="groups_chatpresence_room_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"
