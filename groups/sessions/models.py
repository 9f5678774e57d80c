"""Scheduled facilitated sessions: a series, its occurrences, RSVPs, reminders and afterwards.

A series is stored as its first start (an aware UTC instant) plus the host's time zone name; its
occurrences are rows, expanded in the host's local time so a weekly session keeps its local
wall-clock time across a daylight-saving change. RSVPs, reminders, attendance and check-outs
belong to one occurrence, so one occurrence can be moved or cancelled on its own.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group

MIN_DURATION = 15
MAX_DURATION = 180
# A series is expanded at most this far ahead of its first start (and at most this many times).
MAX_SERIES_DAYS = 366
MAX_OCCURRENCES = 60


class GroupSession(models.Model):
    """A session, or a series of them, scheduled by a group's facilitator."""

    class Recurrence(models.TextChoices):
        NONE = "none", _("Just once")
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="scheduled_sessions")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    # The first occurrence's start (UTC) and the zone whose wall-clock time the series keeps.
    start = models.DateTimeField(_("first start"))
    host_timezone = models.CharField(_("host's time zone"), max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    recurrence = models.CharField(
        _("repeats"), max_length=12, choices=Recurrence.choices, default=Recurrence.NONE
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="hosted_sessions",
    )
    cohosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cohosted_sessions"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MIN_DURATION)
                & models.Q(duration_minutes__lte=MAX_DURATION),
                name="group_session_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="group_session_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(recurrence="none") | models.Q(repeat_until__isnull=False),
                name="group_session_series_has_end",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_series(self) -> bool:
        return self.recurrence != self.Recurrence.NONE

    def host_ids(self) -> set[int]:
        """Who hosts: the host and the co-hosts (prefetched when listed)."""
        ids = {u.pk for u in self.cohosts.all()}
        if self.host_id:
            ids.add(self.host_id)
        return ids


class SessionOccurrence(models.Model):
    """One meeting of a session: when, and what happened."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="occurrences")
    # Denormalised from the session: every list asks "in this group, from now on".
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    # Its place in the series (0, 1, 2, ...): a series edit moves each date to its new slot.
    series_index = models.PositiveSmallIntegerField(default=0)
    # Moved or changed on its own: a later edit of the series leaves it as it is.
    is_detached = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A host ended it early ("end the session" in the room).
    ended_at = models.DateTimeField(null=True, blank=True)
    # Facilitators only, afterwards.
    host_notes = models.TextField(_("host notes"), max_length=4000, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["group", "start"], name="session_occ_group_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MIN_DURATION)
                & models.Q(duration_minutes__lte=MAX_DURATION),
                name="session_occurrence_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} at {self.start:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return reverse("group_sessions:detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def end(self):
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def effective_end(self):
        """When it is over: its planned end, or earlier if a host ended it."""
        if self.ended_at is not None and self.ended_at < self.end:
            return self.ended_at
        return self.end

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and self.start <= now < self.effective_end

    def is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.effective_end


class Rsvp(models.Model):
    """A member's answer for one occurrence. Waitlisted members are promoted in order."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITLISTED = "waitlisted", _("On the waiting list")
        NOT_GOING = "not_going", _("Not going")

    occurrence = models.ForeignKey(
        SessionOccurrence, on_delete=models.CASCADE, related_name="rsvps"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_rsvps"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # The waiting list's order: when they (last) asked for a place.
    asked_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "user"], name="session_rsvp_once"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="session_rsvp_user_status")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.occurrence_id}"


class SessionReminder(models.Model):
    """A reminder sent: unique per (occurrence, member, which), so it goes exactly once."""

    class Which(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        SOON = "15m", _("15 minutes before")

    occurrence = models.ForeignKey(
        SessionOccurrence, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    which = models.CharField(max_length=4, choices=Which.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user", "which"], name="session_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.which} reminder for {self.user_id} ({self.occurrence_id})"


class Attendance(models.Model):
    """Someone was in the room during the occurrence (facilitators see who)."""

    occurrence = models.ForeignKey(
        SessionOccurrence, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendances"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # They answered the check-out (what they answered is not linked to them).
    checked_out = models.BooleanField(default=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "user"], name="session_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.occurrence_id}"


class CheckOut(models.Model):
    """One anonymous answer: no member, no time, so it can never be traced back to a person."""

    class Feeling(models.TextChoices):
        LESS_ALONE = "less_alone", _("I feel less alone")
        SAME = "same", _("About the same")
        WORSE = "worse", _("I feel worse")

    occurrence = models.ForeignKey(
        SessionOccurrence, on_delete=models.CASCADE, related_name="checkouts"
    )
    feeling = models.CharField(max_length=12, choices=Feeling.choices)

    def __str__(self) -> str:
        return f"{self.feeling} ({self.occurrence_id})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's private calendar feed address: a secret token they can replace at any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    # Off by default: sessions of unlisted groups appear as "Peer Support session" only.
    name_private_groups = models.BooleanField(
        _("show the names of unlisted groups and their sessions in my calendar"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
