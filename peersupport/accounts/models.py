"""The custom user model: an e-mail to sign in with and a pseudonym everyone else sees."""

import secrets
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from .validators import DISPLAY_NAME_MAX, validate_display_name

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
HANDLE_LENGTH = 16


def new_handle() -> str:
    """A random, unguessable handle for profile addresses (ids could be counted)."""
    return secrets.token_urlsafe(12)[:HANDLE_LENGTH]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX,
        validators=[validate_display_name],
        help_text=_("The name other members see. Please don't use your real name."),
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    bio = models.TextField(_("about me"), max_length=500, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_staff = models.BooleanField(_("administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=django_timezone.now)
    # Explicit consent to processing health-related content (GDPR Art. 9), separate from the
    # terms. Without it the account reads but does not post (groups.permissions decides).
    health_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    health_consent_version = models.PositiveIntegerField(
        _("privacy notice version consented to"), null=True, blank=True
    )
    # When an account without consent was last asked (existing accounts are asked once).
    consent_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A newer privacy notice than the member has read exists: pages show a banner. Set for
    # everyone when a version is published, so no page needs a query to know it.
    privacy_notice_unseen = models.BooleanField(default=False, editable=False)
    # Profiles are addressed by this, never by the sequential id, so members cannot be counted.
    handle = models.CharField(
        max_length=HANDLE_LENGTH, unique=True, default=new_handle, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), name="accounts_user_display_name_ci_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(display_name__regex=r"^.{3,30}$"),
                name="accounts_user_display_name_length",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:member", kwargs={"handle": self.handle})

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def has_health_consent(self) -> bool:
        return self.health_consent_at is not None


class PrivacyNotice(models.Model):
    """One published version of the privacy notice. Versions are kept; a new one is a new row."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    body = models.TextField(_("notice"), help_text=_("Markdown. Plain words, please."))
    body_html = models.TextField(editable=False, default="")
    summary = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences members see in the banner about this change."),
    )
    published_at = models.DateTimeField(_("published"), default=django_timezone.now)
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")

    def __str__(self) -> str:
        return _("Privacy notice, version %(version)s") % {"version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("accounts:privacy")


class ConsentRecord(models.Model):
    """A consent given (or withdrawn): what, to which notice version, when and where."""

    class Kind(models.TextChoices):
        HEALTH_DATA = "health_data", _("Processing health-related content")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("At sign-up")
        PROMPT = "prompt", _("Asked after signing in")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="consent_records"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HEALTH_DATA)
    notice_version = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    given_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["health_data"]), name="accounts_consent_known_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} v{self.notice_version}"


class DataExport(models.Model):
    """A member's request for a copy of their data, and the ZIP once built."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="exports")
    # The download address: long and random, and only ever valid for its own account.
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(default=django_timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["user", "-requested_at"], name="accounts_export_recent")]
        constraints = [
            # At most one export in progress per member, whatever races happen.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "running"]),
                name="accounts_export_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} for {self.user_id} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def is_downloadable(self, now=None) -> bool:
        now = now or django_timezone.now()
        return (
            self.status == self.Status.READY
            and bool(self.file_name)
            and self.expires_at is not None
            and self.expires_at > now
        )


class AccountDeletion(models.Model):
    """A member's request to delete their account: a grace period, then a purge (deletion.py)."""

    class Choice(models.TextChoices):
        REMOVE_ALL = "remove_all", _("Remove everything I wrote")
        KEEP_REPLIES = (
            "keep_replies",
            _("Keep my replies in other people's threads, shown as “A former member”"),
        )

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled by the member")
        DONE = "done", _("Done")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="account_deletions"
    )
    choice = models.CharField(max_length=20, choices=Choice.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    requested_at = models.DateTimeField(default=django_timezone.now)
    purge_after = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="scheduled"),
                name="accounts_deletion_one_scheduled",
            ),
        ]
        indexes = [models.Index(fields=["status", "purge_after"], name="accounts_deletion_due_idx")]

    def __str__(self) -> str:
        return f"Deletion {self.pk} ({self.status})"


class MemberSession(models.Model):
    """One signed-in browser, for the member's own list at /me/security/ (sessions.py).

    Only the browser family is kept ("Firefox on Linux"): never the full user agent or the IP.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="member_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    browser = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    last_used_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        return f"{self.browser or 'session'} of {self.user_id}"
