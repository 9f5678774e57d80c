"""Shared-story threads: stories, replies, revisions, support reactions, follows, warning preferences.

Writes happen in services.py only; access is decided in groups/permissions.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from groups.models import Group

TITLE_MAX = 150
STORY_BODY_MAX = 20_000
REPLY_BODY_MAX = 10_000
WARNING_NOTE_MAX = 100
EXCERPT_MAX = 300


def make_excerpt(html: str) -> str:
    """The first words of rendered Markdown as plain text, for lists."""
    text = " ".join(strip_tags(html).split())
    if len(text) <= EXCERPT_MAX:
        return text
    return text[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"


class Theme(models.TextChoices):
    SUICIDE = "suicide", _("Suicide")
    SELF_HARM = "self-harm", _("Self-harm")
    EATING_DISORDERS = "eating-disorders", _("Eating disorders")
    ABUSE = "abuse", _("Abuse")
    SUBSTANCE_USE = "substance-use", _("Substance use")
    GRIEF = "grief", _("Grief")
    OTHER = "other", _("Other")


THEME_LABELS = dict(Theme.choices)


class ModerationState(models.TextChoices):
    PENDING = "pending", _("Waiting for a safety check")
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for a facilitator")
    HIDDEN = "hidden", _("Hidden by a facilitator")


class ReactionKind(models.TextChoices):
    HEAR_YOU = "hear", _("I hear you")
    ME_TOO = "metoo", _("Me too")
    STRENGTH = "strength", _("Sending strength")
    THANK_YOU = "thanks", _("Thank you for sharing")


class Postable(models.Model):
    """Fields stories and replies share: text, author, anonymity, moderation and deletion state."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_html = models.TextField(editable=False, default="")
    is_anonymous = models.BooleanField(_("post as “Anonymous member”"), default=False)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    hidden_reason = models.CharField(max_length=500, blank=True)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == ModerationState.VISIBLE and not self.is_deleted


class Story(Postable):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("your story"), max_length=STORY_BODY_MAX)
    # Plain text for lists and search results, stored so list pages do no HTML work.
    excerpt = models.CharField(max_length=EXCERPT_MAX, blank=True, default="", editable=False)
    # Comma-separated Theme values: simple to filter on PostgreSQL and SQLite alike.
    warnings = models.CharField(max_length=200, blank=True, default="")
    warning_note = models.CharField(
        _("anything else to warn about (optional)"), max_length=WARNING_NOTE_MAX, blank=True
    )
    replies_welcome = models.BooleanField(default=True)
    is_pinned = models.BooleanField(default=False)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    # Slow mode for this thread in minutes; None follows the group's default (moderation settings).
    reply_slow_mode_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Bumped by every write that changes what the thread shows (the story, its replies, their
    # reactions and moderation state): the story page's cached reply cards are keyed by it.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at"]
        indexes = [
            models.Index(
                fields=[
                    "group",
                    "moderation_state",
                    "is_deleted",
                    "-is_pinned",
                    "-last_activity_at",
                ],
                name="stories_story_list_idx",
            ),
            models.Index(
                fields=["group", "replies_welcome", "reply_count", "created_at"],
                name="stories_story_waiting_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="stories_story_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def warning_list(self) -> list[str]:
        return [w for w in self.warnings.split(",") if w]

    @property
    def warning_labels(self) -> list[str]:
        return [str(THEME_LABELS.get(w, w)) for w in self.warning_list]

    @property
    def has_warning(self) -> bool:
        return bool(self.warnings or self.warning_note)


class Reply(Postable):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("your reply"), max_length=REPLY_BODY_MAX)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["story", "created_at"], name="stories_reply_thread_idx")]

    def __str__(self) -> str:
        return f"Reply {self.pk} to story {self.story_id}"


class Revision(models.Model):
    """The text of a story or reply before an edit; every edit keeps one row."""

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(story__isnull=False, reply__isnull=True)
                | Q(story__isnull=True, reply__isnull=False),
                name="stories_revision_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


class Reaction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_reactions"
    )
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(story__isnull=False, reply__isnull=True)
                | Q(story__isnull=True, reply__isnull=False),
                name="stories_reaction_one_target",
            ),
            # One of each kind per person per item: a double click cannot count twice.
            models.UniqueConstraint(
                fields=["user", "story", "kind"],
                condition=Q(story__isnull=False),
                name="stories_reaction_one_per_story_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "reply", "kind"],
                condition=Q(reply__isnull=False),
                name="stories_reaction_one_per_reply_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_follows"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="stories_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.story_id}"


class WarningPreference(models.Model):
    """How one member wants stories with one theme shown: always open, or left out of lists."""

    class Choice(models.TextChoices):
        SHOW = "show", _("Always show")
        HIDE = "hide", _("Hide stories with this theme")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warning_preferences"
    )
    theme = models.CharField(max_length=20, choices=Theme.choices)
    choice = models.CharField(max_length=4, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"], name="stories_warningpref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.theme} → {self.choice}"
