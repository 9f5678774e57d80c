"""Values for every page: whether a newer privacy notice waits to be read."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def privacy(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .privacy.notice import privacy_notice_is_unseen

    # Lazy and cached: pages that never render the banner pay nothing.
    return {"privacy_notice_unseen": SimpleLazyObject(lambda: privacy_notice_is_unseen(user))}
