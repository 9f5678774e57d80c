"""Consent to processing health-related content: given at sign-up, or asked once later.

Without it an account reads but does not post; `groups.permissions.Access.can_post` decides,
so pages, chat and services agree.
"""

from django.db import transaction
from django.utils import timezone

from ..models import ConsentRecord, User
from .notice import privacy_notice_current_version


@transaction.atomic
def consent_give(*, user: User, source: str) -> ConsentRecord | None:
    """Record the member's consent with the notice version and time; a repeat changes nothing."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.health_consent_at is not None:
        user.health_consent_at = locked.health_consent_at
        user.health_consent_version = locked.health_consent_version
        return None
    now = timezone.now()
    version = privacy_notice_current_version()
    record = ConsentRecord.objects.create(
        user=locked,
        kind=ConsentRecord.Kind.HEALTH_DATA,
        notice_version=version,
        source=source,
        given_at=now,
    )
    locked.health_consent_at, locked.health_consent_version = now, version
    # save(), not update(): post_save tells anything caching the member's access to look again.
    locked.save(update_fields=["health_consent_at", "health_consent_version"])
    user.health_consent_at, user.health_consent_version = now, version
    return record


def consent_should_ask(user: User) -> bool:
    """An existing account without consent that has not been asked yet."""
    return (
        user.is_authenticated and user.health_consent_at is None and user.consent_asked_at is None
    )


def consent_mark_asked(*, user: User) -> None:
    """Existing accounts are asked once, at their next sign-in; after that the refusal explains."""
    now = timezone.now()
    User.objects.filter(pk=user.pk, consent_asked_at__isnull=True).update(consent_asked_at=now)
    user.consent_asked_at = user.consent_asked_at or now
