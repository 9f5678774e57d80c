"""Reads about members."""

from django.db.models import QuerySet

from .models import User
from .validators import normalise_display_name


def display_name_is_taken(name: str, *, exclude_user_id: int | None = None) -> bool:
    qs: QuerySet[User] = User.objects.filter(display_name__iexact=normalise_display_name(name))
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()
