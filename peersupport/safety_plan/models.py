"""A member's safety plan, stored only as ciphertext, and its time-limited shares.

Never registered in the admin: nobody but the owner reads a plan, and a share shows it only to
one group's facilitators, read-only, until it expires or is revoked.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SafetyPlan(models.Model):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    # A Fernet token (crypto.py) of the plan's JSON. The text itself is never stored in clear,
    # so a database dump alone reveals nothing of a plan.
    ciphertext = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("safety plan")

    def __str__(self) -> str:
        # Nothing of the plan: this string reaches the audit log.
        return f"Safety plan #{self.pk}"


class SafetyPlanShare(models.Model):
    """The owner shows their plan to the facilitators of one of their groups, for a while."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="shares")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    # The facilitators' page is addressed by this, never by a guessable number.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("safety plan share")
        indexes = [models.Index(fields=["group", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="safety_plan_share_expires_after_created",
            )
        ]

    def __str__(self) -> str:
        return f"Safety plan share #{self.pk}"

    @property
    def owner_id(self) -> int:
        return self.plan.owner_id

    def is_active(self, now=None) -> bool:  # noqa: ANN001 - a datetime
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
