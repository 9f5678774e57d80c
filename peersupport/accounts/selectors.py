"""Reads about members."""

from django.db.models import QuerySet

from .models import User
from .validators import normalise_display_name


def display_name_is_taken(name: str, *, exclude_user_id: int | None = None) -> bool:
    qs: QuerySet[User] = User.objects.filter(display_name__iexact=normalise_display_name(name))
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def email_is_verified(user: User) -> bool:
    """Whether the member confirmed the address they sign in with (allauth's EmailAddress)."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def email_is_verified_many(user_ids: list[int]) -> set[int]:
    """The ids among `user_ids` whose sign-in address is confirmed (one query)."""
    from allauth.account.models import EmailAddress
    from django.db.models import F

    return set(
        EmailAddress.objects.filter(
            user_id__in=user_ids, verified=True, email__iexact=F("user__email")
        ).values_list("user_id", flat=True)
    )
