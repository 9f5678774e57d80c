"""Values for every page: whether a newer privacy notice waits to be read."""

from django.http import HttpRequest


def privacy(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A field on the member's own row: no query.
    return {"privacy_notice_unseen": user.privacy_notice_unseen}
