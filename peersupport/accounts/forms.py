"""Forms for sign-up (extra fields beside allauth's) and the profile."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import TIMEZONE_CHOICES, User
from .selectors import display_name_is_taken
from .validators import DISPLAY_NAME_MAX, normalise_display_name, validate_display_name

# The site's own name (settings.SITE_NAME), filled in when the label is shown.
CONSENT_LABEL = format_lazy(
    _(
        "I agree that {site} may store and handle what I write about my mental health, "
        "as the privacy notice explains."
    ),
    site=settings.SITE_NAME,
)

TAKEN_MESSAGE = _("Someone is already using this name. Please choose another one.")


def _clean_display_name(value: str, *, exclude_user_id: int | None = None) -> str:
    name = normalise_display_name(value)
    validate_display_name(name)
    if display_name_is_taken(name, exclude_user_id=exclude_user_id):
        raise forms.ValidationError(TAKEN_MESSAGE, code="taken")
    return name


class SignupExtraForm(forms.Form):
    """Merged by allauth into its sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_(
            "This is the name other members will see. Please don't use your real name, "
            "e-mail or phone number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    # Separate from any terms, never ticked for the member: consent to health-related content.
    health_consent = forms.BooleanField(
        label=CONSENT_LABEL,
        required=False,
        help_text=_(
            "You need this to post, reply or chat. Without it you can still read, and you can "
            "give it later."
        ),
    )

    field_order = ["display_name", "email", "password1", "password2", "health_consent"]

    def clean_display_name(self) -> str:
        return _clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request: object, user: User) -> None:
        # The display name is set by the adapter before the user row is first saved.
        from .models import ConsentRecord
        from .privacy.consent import consent_give, consent_mark_asked

        if self.cleaned_data.get("health_consent"):
            consent_give(user=user, source=ConsentRecord.Source.SIGNUP)
        else:
            # They just answered: no second question at sign-in; posting explains the way.
            consent_mark_asked(user=user)
        return None


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={
            "required": _(
                "Please tick the box if you'd like to go ahead. You can still read without it."
            )
        },
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("The name other members see."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    pronouns = forms.CharField(
        label=_("Pronouns (optional)"),
        max_length=40,
        required=False,
        help_text=_("For example: she/her, he/him, they/them."),
    )
    bio = forms.CharField(
        label=_("About me (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words, if you like. Up to 500 characters."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIMEZONE_CHOICES,
        help_text=_("Times on the site are shown in this time zone."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_display_name(self) -> str:
        return _clean_display_name(self.cleaned_data["display_name"], exclude_user_id=self.user.pk)
