"""allauth adapter: our user has a display name and no username."""

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import Form
from django.http import HttpRequest

from .models import User
from .validators import normalise_display_name


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        # Set before the first save, so the row never exists without its pseudonym.
        user.display_name = normalise_display_name(form.cleaned_data["display_name"])
        return super().save_user(request, user, form, commit=commit)
