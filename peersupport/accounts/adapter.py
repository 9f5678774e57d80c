"""allauth adapter: our user has a display name and no username."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .deletion import deletion_can_cancel, deletion_scheduled_for
from .models import User
from .validators import normalise_display_name

# Set at sign-in when the right password is given for an account waiting to be deleted; the
# cancel page (views_security.deletion_cancel) accepts it for a short while.
CANCEL_SESSION_KEY = "account_deletion_cancel"
CANCEL_WINDOW = timedelta(minutes=15)


def remember_cancel_attempt(request: HttpRequest, user: User) -> bool:
    """True (and remembered in the session) if this user may cancel a scheduled deletion."""
    if not deletion_can_cancel(deletion_scheduled_for(user)):
        return False
    request.session[CANCEL_SESSION_KEY] = {"user_id": user.pk, "at": timezone.now().timestamp()}
    return True


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        # Set before the first save, so the row never exists without its pseudonym.
        user.display_name = normalise_display_name(form.cleaned_data["display_name"])
        return super().save_user(request, user, form, commit=commit)

    def respond_user_inactive(self, request: HttpRequest, user: User) -> HttpResponse:
        # The right password for an account waiting to be deleted: offer to cancel the deletion
        # (signing in and confirming cancels it within the grace period).
        if remember_cancel_attempt(request, user):
            return redirect("accounts:deletion_cancel")
        return super().respond_user_inactive(request, user)
