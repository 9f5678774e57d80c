"""Forms of the chat room page (parsing only; the services decide)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from .services import MAX_BODY, MUTE_CHOICES


class ChatMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_BODY}),
        error_messages={
            "required": _("Your message is empty. Write something before sending."),
            "max_length": _("Messages can be up to %(limit_value)d characters. Please shorten it."),
        },
    )
    # A fresh id per rendered form: pressing "Send" twice saves one message.
    client_id = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )


class ChatMuteForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    mute_for = forms.ChoiceField(
        label=_("Pause their posting for"),
        choices=[(choice.value, choice.label) for choice in MUTE_CHOICES],
    )


class ChatRoomSettingsForm(forms.Form):
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode: seconds between messages per member (0 for off)"),
        min_value=0,
        max_value=3600,
        error_messages={"max_value": _("Please choose at most an hour (3600 seconds).")},
    )
    facilitator_only = forms.BooleanField(
        label=_("Open the room only while a facilitator is here"), required=False
    )
    retention_days = forms.IntegerField(
        label=_("Keep chat messages for this many days (30 to 730)"),
        help_text=_(
            "Older messages are deleted every night. Members are told in the privacy notice."
        ),
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        required=False,
        error_messages={
            "min_value": _("Please keep messages for at least 30 days."),
            "max_value": _("Please keep messages for at most 730 days (two years)."),
        },
    )
