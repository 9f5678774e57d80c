"""The sign-in address, confirmed without adding a step before a member's first post.

Sign-up signs the member in at once (ACCOUNT_EMAIL_VERIFICATION = "optional"); a banner on
every page asks them to confirm the address from the e-mailed link until they have. The banner
costs no query for confirmed members: a flag in the session, set at sign-in, says whether to
look at all; it is looked at again (one query) on each page while it is set, so a link opened
on another device clears it too. What an unconfirmed address may not do is decided in
groups.permissions (can_receive_email, can_be_facilitator).
"""

from django.http import HttpRequest

from .models import User
from .selectors import email_is_verified

UNVERIFIED_SESSION_KEY = "accounts_email_unverified"
FIRST_SIGN_IN_SESSION_KEY = "accounts_first_sign_in"


def verification_note_sign_in(request: HttpRequest, user: User, *, first: bool) -> None:
    """At sign-in: remember whether this is the member's first, and whether to show the banner."""
    if first:
        request.session[FIRST_SIGN_IN_SESSION_KEY] = True
    if email_is_verified(user):
        request.session.pop(UNVERIFIED_SESSION_KEY, None)
    else:
        request.session[UNVERIFIED_SESSION_KEY] = True


def verification_banner_address(request: HttpRequest) -> str:
    """The address to confirm, for the banner; empty when there is nothing to ask."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return ""
    if not session.get(UNVERIFIED_SESSION_KEY):
        return ""
    if email_is_verified(user):
        session.pop(UNVERIFIED_SESSION_KEY, None)
        return ""
    return user.email


def is_first_sign_in(request: HttpRequest) -> bool:
    """True for the whole first signed-in session of an account ("Welcome", not "Welcome back")."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(FIRST_SIGN_IN_SESSION_KEY))
