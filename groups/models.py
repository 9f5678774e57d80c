"""Groups, memberships, join requests and invitations. Access is decided in permissions.py."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Group(models.Model):
    class Visibility(models.TextChoices):
        LISTED = "listed", _("Listed in the directory")
        UNLISTED = "unlisted", _("Unlisted (members and invitees only)")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        REQUEST = "request", _("Request to join: facilitators decide")
        INVITE = "invite", _("Invitation only")

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=60)
    description = models.TextField(_("description"), max_length=2000)
    rules = models.TextField(_("rules"), max_length=10000, help_text=_("Markdown."))
    rules_html = models.TextField(editable=False, default="")
    rules_version = models.PositiveIntegerField(default=1, editable=False)
    rules_updated_at = models.DateTimeField(default=timezone.now, editable=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.LISTED
    )
    join_policy = models.CharField(
        _("who can join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["visibility", "is_archived"], name="groups_group_directory_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"slug": self.slug})

    @property
    def is_listed(self) -> bool:
        return self.visibility == self.Visibility.LISTED


class MuteFor(models.TextChoices):
    """How long a member's posting is paused: THE vocabulary of mute durations, for the
    members page and the chat room alike (the case page may also pick an exact time)."""

    MINUTES_15 = "15m", _("15 minutes")
    HOUR = "1h", _("1 hour")
    DAY = "24h", _("24 hours")
    WEEK = "7d", _("7 days")
    LIFTED = "lifted", _("Until I lift it")


MUTE_DURATIONS: dict[str, timedelta | None] = {
    MuteFor.MINUTES_15: timedelta(minutes=15),
    MuteFor.HOUR: timedelta(hours=1),
    MuteFor.DAY: timedelta(hours=24),
    MuteFor.WEEK: timedelta(days=7),
    MuteFor.LIFTED: None,
}


def mute_until(mute_for: str, *, now: datetime | None = None) -> datetime | None:
    """When a mute chosen as `mute_for` ends (None: until a facilitator lifts it)."""
    duration = MUTE_DURATIONS[mute_for]
    return (now or timezone.now()) + duration if duration is not None else None


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MUTED = "muted", _("Muted")
        REMOVED = "removed", _("Removed")
        LEFT = "left", _("Left the group")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Muted until this time; null with status muted means until a facilitator lifts it.
    muted_until = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    rules_accepted_version = models.PositiveIntegerField(default=0)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"], name="groups_membership_one_per_user_group"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status", "role"], name="groups_membership_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role}, {self.status})"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a facilitator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(
        _("message to the facilitators (optional)"), max_length=1000, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=1000, blank=True)
    # The rules version the requester accepted when asking, so approval needs no second step.
    rules_accepted_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # A double click makes one request, not two.
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="groups_joinrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.group} ({self.status})"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A direct invitation names one member; a link invitation leaves this empty.
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1)
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(use_count__lte=models.F("max_uses")),
                name="groups_invitation_uses_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(max_uses__gte=1), name="groups_invitation_at_least_one_use"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.group}"

    def is_usable(self, now: "timezone.datetime | None" = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.use_count < self.max_uses
