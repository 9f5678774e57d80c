"""Forms for deleting an account and cancelling a deletion: each re-checks who is asking."""

from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccountDeletion, User

WRONG_PASSWORD = _("That password doesn't match. Please try again; nothing has been changed.")
WRONG_CODE = _(
    "That code doesn't match. Please use the current code from your authenticator app, "
    "or one of your recovery codes."
)


def user_has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).exists()


def _code_is_valid(user: User, code: str) -> bool:
    code = code.replace(" ", "")
    authenticators = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    return any(auth.wrap().validate_code(code) for auth in authenticators)


class MfaCodeMixin:
    """Adds a two-factor code field when the member has two-factor sign-in set up."""

    def _add_code_field(self, user: User) -> None:
        self.user = user
        self.needs_code = user_has_mfa(user)
        if self.needs_code:
            self.fields["code"] = forms.CharField(
                label=_("Code from your authenticator app"),
                max_length=64,
                help_text=_("Or one of your recovery codes."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )

    def clean_code(self) -> str:
        code = self.cleaned_data.get("code", "")
        if not _code_is_valid(self.user, code):
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return code


class AccountDeleteForm(MfaCodeMixin, forms.Form):
    choice = forms.ChoiceField(
        label=_("What should happen to what you wrote?"),
        choices=AccountDeletion.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what should happen to what you wrote.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask again so that nobody else can delete your account."),
        error_messages={"required": _("Please enter your password.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand my account will be deleted after 14 days unless I sign in to cancel."
        ),
        error_messages={"required": _("Please tick the box to confirm.")},
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._add_code_field(user)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password


class DeletionCancelForm(MfaCodeMixin, forms.Form):
    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._add_code_field(user)
