"""Values for every page: a newer privacy notice to read, an address to confirm."""

from django.http import HttpRequest

from .verification import is_first_sign_in, verification_banner_address


def privacy(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # A field on the member's own row: no query.
        "privacy_notice_unseen": user.privacy_notice_unseen,
        # A session flag: a query only while an address waits to be confirmed.
        "email_to_confirm": verification_banner_address(request),
        "first_sign_in": is_first_sign_in(request),
    }
