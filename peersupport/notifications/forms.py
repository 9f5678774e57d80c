"""Parsing for the preferences page. Unknown kinds or hours are field errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_DELIVERY, FACILITATOR_KINDS, NEVER_OFF, Delivery, Kind

HOUR_CHOICES = [(h, f"{h:02d}:00") for h in range(24)]
QUIET_CHOICES = [("", _("No quiet hours")), *HOUR_CHOICES]


def delivery_field_name(kind: str) -> str:
    return f"delivery_{kind}"


class PreferencesForm(forms.Form):
    digest_hour = forms.TypedChoiceField(
        label=_("Send my daily digest at"),
        choices=HOUR_CHOICES,
        coerce=int,
        help_text=_("In your own time zone."),
    )
    quiet_start = forms.TypedChoiceField(
        label=_("Quiet hours start"),
        choices=QUIET_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("No e-mails between these hours; they wait until the quiet time ends."),
    )
    quiet_end = forms.TypedChoiceField(
        label=_("Quiet hours end"),
        choices=QUIET_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    include_details = forms.BooleanField(
        label=_("Include post text and group names in my e-mails"),
        required=False,
        help_text=_(
            "Off by default, so nobody glancing at your inbox learns what you talk about here."
        ),
    )

    def __init__(
        self, *args: object, include_facilitator_kinds: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        self.kinds = [k for k in Kind if include_facilitator_kinds or k not in FACILITATOR_KINDS]
        for kind in self.kinds:
            choices = [
                c for c in Delivery.choices if not (kind in NEVER_OFF and c[0] == Delivery.OFF)
            ]
            name = delivery_field_name(kind)
            self.fields[name] = forms.ChoiceField(
                label=kind.label, choices=choices, initial=DEFAULT_DELIVERY[kind]
            )
            if kind in NEVER_OFF:
                self.fields[name].help_text = _(
                    "Someone may be at risk, so urgent alerts can't be switched off, and their "
                    "e-mails have no one-click unsubscribe. Taking a break? Go off duty below: "
                    "the other facilitators are alerted instead."
                )
            self.kind_fields.append(name)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            self.add_error(
                "quiet_end" if start is not None else "quiet_start",
                _("Please choose both a start and an end for quiet hours, or neither."),
            )
        return data

    def deliveries(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[delivery_field_name(kind)] for kind in self.kinds}

    @property
    def delivery_bound_fields(self) -> list:
        return [self[name] for name in self.kind_fields]


class GroupFollowForm(forms.Form):
    follow = forms.ChoiceField(choices=[("on", _("On")), ("off", _("Off"))])


class DutyForm(forms.Form):
    duty = forms.ChoiceField(choices=[("on", _("On duty")), ("off", _("Off duty"))])
