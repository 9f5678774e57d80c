"""The contact form: clear, kind field errors; nothing is saved unless all of it is right."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CONTACT_MESSAGE_MAX, ContactMessage


class ContactForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose one")), *ContactMessage.Topic.choices],
        error_messages={"required": _("Please choose what your message is about.")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=CONTACT_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 3,000 characters. Only the site's administrators read it."),
        error_messages={
            "required": _("Please write a few words, so we know how to help."),
            "max_length": _(
                "That's a little long for this form: please keep it under %(limit_value)d "
                "characters (it has %(show_value)d). You can send the rest in a second message."
            ),
        },
    )
    reply_to = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you'd like an answer by e-mail. We use it for nothing else."),
        error_messages={
            "invalid": _(
                "That doesn't look like an e-mail address. Please check it, or leave it empty."
            )
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: object, signed_in: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            # A member is answered in the app or at the address they signed up with.
            del self.fields["reply_to"]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(self.fields["message"].error_messages["required"])
        return message
