"""allauth adapter: our user has a display name and no username."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import User
from .privacy.consent import consent_mark_asked, consent_should_ask
from .validators import normalise_display_name


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        # Set before the first save, so the row never exists without its pseudonym.
        user.display_name = normalise_display_name(form.cleaned_data["display_name"])
        return super().save_user(request, user, form, commit=commit)

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
