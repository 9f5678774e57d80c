"""Every write to a member's own account goes through here."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction

from .models import User
from .validators import normalise_display_name


class DisplayNameTaken(Exception):
    """Someone else already uses this display name (case-insensitively)."""


class EmailTaken(Exception):
    """An account with this e-mail address already exists."""


@transaction.atomic
def admin_create(*, email: str, display_name: str, password: str) -> User:
    """Make an administrator whose address counts as verified, so they can sign in at once.

    Raises ValidationError (bad address, name or password), EmailTaken or DisplayNameTaken;
    nothing is saved then.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(email)
    user = User(
        email=email,
        display_name=normalise_display_name(display_name),
        is_staff=True,
        is_superuser=True,
    )
    # Uniqueness is left to the database (and its race-free constraint) below.
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise DisplayNameTaken from exc
    # The person running the command on the server vouches for the address; nobody needs to
    # find a verification link in a log.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


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
