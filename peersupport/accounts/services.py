"""Every write to a member's own account goes through here."""

from django.db import IntegrityError, transaction

from .models import User
from .validators import normalise_display_name


class DisplayNameTaken(Exception):
    """Someone else already uses this display name (case-insensitively)."""


@transaction.atomic
def profile_update(
    *, user: User, display_name: str, pronouns: str, bio: str, timezone: str
) -> User:
    """Change the member's public profile and time zone; a taken name changes nothing."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.display_name = normalise_display_name(display_name)
    locked.pronouns = pronouns.strip()
    locked.bio = bio.strip()
    locked.timezone = timezone
    locked.full_clean(exclude=["password", "email"])
    try:
        with transaction.atomic():
            locked.save(update_fields=["display_name", "pronouns", "bio", "timezone"])
    except IntegrityError as exc:
        raise DisplayNameTaken from exc
    return locked
