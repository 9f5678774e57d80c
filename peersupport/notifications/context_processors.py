"""The unread count for the header: one COUNT query, only for signed-in members."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    # Lazy: pages that never render the header (e.g. htmx partials) pay nothing.
    return {"unread_notifications_count": SimpleLazyObject(lambda: unread_count(user_id=user.pk))}
