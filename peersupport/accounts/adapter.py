"""allauth adapter: our user has a display name and no username."""

from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deletion import deletion_can_cancel, deletion_scheduled_for
from .models import User
from .privacy.consent import consent_mark_asked, consent_should_ask
from .validators import normalise_display_name
from .verification import UNVERIFIED_SESSION_KEY, verification_note_sign_in

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
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts from here. Please wait a minute and try again, "
            "or reset your password."
        ),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed sign-ins per (address, account), never per account alone.

        allauth's per-"key" limit is keyed by the e-mail address only, so anyone who knows
        someone's address could keep them locked out of their support by failing on purpose.
        With the client address in the key, a stranger's failures slow down only that stranger;
        the owner, from their own address, signs in as usual. (ACCOUNT_RATE_LIMITS also limits
        each address across all accounts.) The password-reset clear uses the same key.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}|{account}"

    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        # Set before the first save, so the row never exists without its pseudonym.
        user.display_name = normalise_display_name(form.cleaned_data["display_name"])
        return super().save_user(request, user, form, commit=commit)

    def login(self, request: HttpRequest, user: User) -> None:
        # Read before Django stamps last_login: a first sign-in is greeted "Welcome", not
        # "Welcome back", and an unconfirmed address gets its banner.
        first = user.last_login is None
        super().login(request, user)
        verification_note_sign_in(request, user, first=first)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed and request is not None and hasattr(request, "session"):
            request.session.pop(UNVERIFIED_SESSION_KEY, None)
        return confirmed

    # Straight after sign-up the welcome page greets the member and its banner says where the
    # link went: allauth's "signed in" and "link sent" messages would only repeat it.
    QUIET_AT_SIGNUP = frozenset(
        {"account/messages/logged_in.txt", "account/messages/email_confirmation_sent.txt"}
    )

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        match = getattr(request, "resolver_match", None)
        if (
            message_template in self.QUIET_AT_SIGNUP
            and match is not None
            and match.url_name == "account_signup"
        ):
            return
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )

    # --- e-mails: the site's own name and address, never the host a request came in on ------
    def _site_link(self, path: str) -> str:
        return settings.SITE_URL.rstrip("/") + path

    def get_email_confirmation_url(
        self, request: HttpRequest, emailconfirmation: EmailConfirmation
    ) -> str:
        return self._site_link(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The key is opaque ("uid-token"): substitute it whole, as allauth does.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return self._site_link(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds some links from the request (signup_url, password_reset_url): they
        # point at SITE_URL instead, whatever Host the request came in on.
        links = {
            key: self._site_link(urlsplit(value)._replace(scheme="", netloc="").geturl())
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str) and value.startswith("http")
        }
        context = {
            **context,
            **links,
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL.rstrip("/"),
            "CONTACT_EMAIL": settings.CONTACT_EMAIL,
            "contact_url": self._site_link(reverse("pages:contact")),
        }
        super().send_mail(template_prefix, email, context)

    def post_login(self, request: HttpRequest, user: User, **kwargs: object) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        # Accounts from before consent existed are asked once, at their next sign-in.
        if (
            not kwargs.get("signup")
            and consent_should_ask(user)
            and isinstance(response, HttpResponseRedirect)
        ):
            consent_mark_asked(user=user)
            query = urlencode({"next": response.url})
            return HttpResponseRedirect(f"{reverse('accounts:consent')}?{query}")
        return response

    def respond_user_inactive(self, request: HttpRequest, user: User) -> HttpResponse:
        # The right password for an account waiting to be deleted: offer to cancel the deletion
        # (signing in and confirming cancels it within the grace period).
        if remember_cancel_attempt(request, user):
            return redirect("accounts:deletion_cancel")
        return super().respond_user_inactive(request, user)
