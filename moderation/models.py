"""Reports, cases, actions, appeals, held posts, watched words, notes, bans and the audit log.

Content is known only by content type and id (see registry.py); nothing here imports stories
or chat.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group


class Reason(models.TextChoices):
    RISK = "risk", _("Someone may be at risk")
    HARASSMENT = "harassment", _("Harassment or bullying")
    HARMFUL_ADVICE = "harmful_advice", _("Harmful or unsafe advice")
    PERSONAL_INFO = "personal_info", _("Sharing personal information")
    SPAM = "spam", _("Spam")
    OTHER = "other", _("Something else")


class Report(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("what's wrong"), max_length=20, choices=Reason.choices)
    note = models.TextField(
        _("anything else the facilitators should know (optional)"), max_length=1000, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                name="moderation_report_one_per_reporter_item",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.reason})"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLAIMED = "claimed", _("Being reviewed")
        RESOLVED = "resolved", _("Resolved")

    class Source(models.TextChoices):
        REPORT = "report", _("Member report")
        WATCHED_WORD = "watched_word", _("Watched word")
        SAFETY_SCAN = "safety_scan", _("Safety scan")
        SUPPORT_REQUEST = "support_request", _("The member asked for support")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # Null for site-wide items (member profiles): administrators only.
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_cases"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    # Snapshots so the queue renders without loading each item through its adapter.
    content_title = models.CharField(max_length=200, blank=True)
    content_excerpt = models.TextField(blank=True)
    content_noun = models.CharField(max_length=40, blank=True)
    # The author's content warnings (labels, comma-separated): with urgency, what keeps the
    # text covered in the queue and case until the facilitator chooses to read it.
    content_warnings = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.REPORT)
    source_detail = models.CharField(max_length=200, blank=True)
    is_urgent = models.BooleanField(default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last action that resolved the case, as shown to reporters.
    outcome = models.CharField(max_length=20, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    # When the case became urgent (at opening, or later when a risk report or crisis language
    # joined it): the escalation clock counts from here, not from opened_at.
    urgent_since = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_urgent", "opened_at"]
        constraints = [
            # One open case per item: new reports join it rather than opening another.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=~Q(status="resolved"),
                name="moderation_case_one_open_per_item",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "group", "is_urgent", "opened_at"],
                name="moderation_case_queue_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:case", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def is_distressing(self) -> bool:
        """Risk cases and content with warnings: covered until a facilitator reveals them."""
        return self.is_urgent or bool(self.content_warnings)


class Action(models.Model):
    class Kind(models.TextChoices):
        DISMISS = "dismiss", _("Dismiss: no action needed")
        HIDE_PENDING = "hide_pending", _("Hide while it is reviewed")
        HIDE = "hide", _("Hide")
        RESTORE = "restore", _("Restore")
        REDACT = "redact", _("Redact part of the text")
        WARN = "warn", _("Warn the member")
        MUTE = "mute", _("Mute the member in this group")
        REMOVE = "remove", _("Remove the member from this group")
        BAN = "ban", _("Ban the member from the site")
        APPROVE_HELD = "approve_held", _("Approve a held post")
        DECLINE_HELD = "decline_held", _("Decline a held post")
        APPEAL_UPHELD = "appeal_upheld", _("Appeal: decision upheld")
        APPEAL_OVERTURNED = "appeal_overturned", _("Appeal: decision overturned")
        HANDOVER = "handover", _("Handed over to administrators")
        FOLLOW_UP = "follow_up", _("Follow-up planned")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    held_item = models.ForeignKey(
        "HeldItem", on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    # Null: the system acted (auto-hide at the report threshold).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason_code = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    reason = models.TextField(max_length=2000)
    note_to_author = models.TextField(max_length=2000, blank=True)
    # For redactions: the text before, kept for moderators only.
    original_text = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)
    # One incident, several actions (hide + warn + mute): the others point at the first, which
    # carries the one notice and the one appeal; overturning it undoes them all.
    bundle = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="bundled"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"


APPEALABLE_KINDS = (
    Action.Kind.HIDE,
    Action.Kind.HIDE_PENDING,
    Action.Kind.REDACT,
    Action.Kind.WARN,
    Action.Kind.MUTE,
    Action.Kind.REMOVE,
    Action.Kind.BAN,
    Action.Kind.DECLINE_HELD,
)


class AuthorNotice(models.Model):
    """A private, kind message to the member an action affected."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="notice")
    message = models.TextField()
    # Risk: the notice shows the crisis lines link.
    include_help = models.BooleanField(default=False)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Notice {self.pk} to {self.recipient_id}"

    @property
    def can_appeal(self) -> bool:
        return self.action.kind in APPEALABLE_KINDS


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an administrator")
        UPHELD = "upheld", _("Decision upheld")
        OVERTURNED = "overturned", _("Decision overturned")

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="appeal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    text = models.TextField(_("what would you like the administrators to know?"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Appeal {self.pk} ({self.status})"


class HeldItem(models.Model):
    class Reason(models.TextChoices):
        FIRST_POST = "first_post", _("A member's first post in the group")
        PREMODERATION = "premoderation", _("The group reviews every post")
        WATCHED_WORD = "watched_word", _("A watched word")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a facilitator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="held_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_items"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    content_title = models.CharField(max_length=200, blank=True)
    content_excerpt = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="moderation_held_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Held {self.content_title or self.pk}"


class WatchedWord(models.Model):
    class Action(models.TextChoices):
        BLOCK = "block", _("Block: refuse the post")
        HOLD = "hold", _("Hold for a facilitator")
        FLAG = "flag", _("Flag: open a case")

    phrase = models.CharField(_("word or phrase"), max_length=100)
    # Stored normalised, so matching and uniqueness ignore case, accents and l33t.
    normalized = models.CharField(max_length=200, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="watched_words"
    )
    action = models.CharField(
        _("what happens"), max_length=10, choices=Action.choices, default=Action.FLAG
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["normalized"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized"],
                condition=Q(group__isnull=True),
                name="moderation_watchedword_site_unique",
            ),
            models.UniqueConstraint(
                fields=["group", "normalized"], name="moderation_watchedword_group_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.phrase


class GroupModerationSettings(models.Model):
    """Moderation knobs per group, kept here so moderation never edits groups' own models."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="moderation_settings"
    )
    premoderation = models.BooleanField(
        _("review every new story before it appears"), default=False
    )
    # The default slow mode for story threads in this group (one reply per member per N
    # minutes); 0 is off. A story may override it on the stories side.
    thread_slow_mode_minutes = models.PositiveIntegerField(
        _("slow mode for story threads (minutes, 0 for off)"), default=0
    )

    def __str__(self) -> str:
        return f"Moderation settings for {self.group_id}"


class ModeratorNote(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="moderator_notes")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes_about"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


class SiteBan(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_bans"
    )
    reason = models.TextField(max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Ban {self.pk}"


class MessageTemplate(models.Model):
    """A canned, kind message administrators maintain for facilitators to start from."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("message"), max_length=2000)
    # Offered first on urgent cases: a supportive message rather than a rules reminder.
    is_supportive = models.BooleanField(_("supportive (offered on risk cases)"), default=True)
    is_active = models.BooleanField(_("offered to facilitators"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_supportive", "title"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.title


class StaffThread(models.Model):
    """A private conversation between a group's facilitators/administrators and one member."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="staff_threads")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_threads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"], name="moderation_staffthread_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"Staff thread {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("moderation:my_thread", kwargs={"pk": self.pk})


class StaffMessage(models.Model):
    thread = models.ForeignKey(StaffThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # True: written by a facilitator or administrator; False: the member's reply.
    from_staff = models.BooleanField(default=True)
    body = models.TextField(max_length=2000)
    # Sent from a case: the outreach is recorded on it.
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_messages"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Staff message {self.pk}"


class CaseFollowUp(models.Model):
    """A facilitator's plan to look in on a case later; they are reminded when it is due."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_follow_ups"
    )
    due_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["reminded_at", "due_at"], name="moderation_followup_due")]

    def __str__(self) -> str:
        return f"Follow-up {self.pk} on case {self.case_id}"


# --- the audit log --------------------------------------------------------------------------
class AppendOnlyError(Exception):
    """The audit log is append-only: rows are never changed or removed."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit log entries cannot be updated")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("audit log entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit log entries cannot be updated")

    def update_or_create(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("audit log entries cannot be updated")


class AuditLogEntry(models.Model):
    """One moderation event. Append-only here, in the admin and (PostgreSQL) in a trigger.

    Foreign keys carry no database constraint and do nothing on delete: deleting an account
    or a group must not need to change a row of the log.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_repr = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    target_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    group = models.ForeignKey(
        Group,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit log entries cannot be deleted")


# --- the automated safety scan --------------------------------------------------------------
class SafetyScan(models.Model):
    """The durable safety status of one posted item and, once scanned, what the scan decided.

    A row is pending from the moment the item is saved (same transaction) until a worker
    records a verdict, so a lost job is found again by the sweeper.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the safety check")
        DONE = "done", _("Checked")
        SKIPPED = "skipped", _("Not checked (the item is gone)")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    # A hash of the normalised text: "the same text in several groups" without keeping text twice.
    text_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # The verdict.
    is_crisis = models.BooleanField(default=False)
    crisis_category = models.CharField(max_length=20, blank=True)
    spam = models.BooleanField(default=False)
    watched_word_action = models.CharField(max_length=10, blank=True)
    watched_word_phrase = models.CharField(max_length=100, blank=True)
    matched = models.JSONField(default=dict, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_safetyscan_one_per_item"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="moderation_safetyscan_due_idx")
        ]

    def __str__(self) -> str:
        return f"Safety scan {self.pk} ({self.status})"


class CaseDebrief(models.Model):
    """Volunteer care: after closing a risk case, a facilitator said "this was hard" and an
    administrator was told privately, to check in with them. Seen by administrators only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="debriefs")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(
        _("anything you'd like them to know (optional)"), max_length=1000, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "facilitator"], name="moderation_debrief_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"Debrief of case {self.case_id} by {self.facilitator_id}"


class CaseEscalation(models.Model):
    """Administrators were alerted because nobody acknowledged an urgent case in time (once)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="escalation")
    created_at = models.DateTimeField(default=timezone.now)
    admins_alerted = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Escalation of case {self.case_id}"
