"""Parsing and field validation for session pages; domain rules live in the services."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from peersupport.accounts.models import TIMEZONE_CHOICES

from .models import MAX_DURATION, MIN_DURATION, CheckOut, GroupSession

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# The numbers are written out so the messages stay lazy (translated per request).
assert (MIN_DURATION, MAX_DURATION) == (15, 180)
DURATION_MESSAGE = _("A session can last between 15 minutes and 180 minutes.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class TimeZoneField(forms.CharField):
    """A select of zoneinfo names; an unknown name gets a kind error, not "invalid choice"."""

    widget = forms.Select(choices=TIMEZONE_CHOICES)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("We don't recognise that time zone. Please choose one from the list."),
                code="unknown_timezone",
            )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the session is about and who it's for. Markdown is fine."),
    )
    start = forms.DateTimeField(
        label=_("Starts"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
        help_text=_("In the host's time zone, below."),
        error_messages={"invalid": _("Please give a date and a time, like 2026-12-03 19:00.")},
    )
    host_timezone = TimeZoneField(label=_("Host's time zone"), max_length=64)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        help_text=_("Between 15 and 180 minutes."),
        error_messages={
            "invalid": _("Please give the length in whole minutes."),
            "min_value": DURATION_MESSAGE,
            "max_value": DURATION_MESSAGE,
        },
    )
    capacity = forms.IntegerField(
        label=_("Places (optional)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit. When it's full, people can join a waiting list."),
        error_messages={
            "invalid": _("Please give the number of places as a whole number."),
            "min_value": _(
                "A session needs at least one place. Leave this empty if there's no limit."
            ),
        },
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"), choices=GroupSession.Recurrence.choices, initial="none"
    )
    repeat_until = forms.DateField(
        label=_("Repeats until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a series: the date of the last session."),
        error_messages={"invalid": _("Please give a date, like 2027-03-31.")},
    )
    cohosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosts (optional)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other facilitators of this group who will host with you."),
    )

    def __init__(self, *args: object, cohost_choices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohosts"].queryset = cohost_choices
        self.fields["cohosts"].label_from_instance = lambda u: u.display_name

    def clean(self) -> dict:
        cleaned = super().clean()
        start, until = cleaned.get("start"), cleaned.get("repeat_until")
        if cleaned.get("recurrence", "none") != GroupSession.Recurrence.NONE:
            if until is None and "repeat_until" not in self.errors:
                self.add_error(
                    "repeat_until", _("Please choose the last date the series runs until.")
                )
            elif until is not None and start is not None and until < start.date():
                self.add_error("repeat_until", _("The series has to end after it starts."))
        return cleaned


class OccurrenceForm(forms.Form):
    """Move or lengthen one occurrence of a series."""

    start = SessionForm.base_fields["start"]
    duration_minutes = SessionForm.base_fields["duration_minutes"]


class RsvpForm(forms.Form):
    going = forms.TypedChoiceField(
        choices=[("yes", _("Going")), ("no", _("Not going"))],
        coerce=lambda v: v == "yes",
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Host notes (facilitators only)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CheckOutForm(forms.Form):
    feeling = forms.ChoiceField(choices=CheckOut.Feeling.choices)


class FeedForm(forms.Form):
    name_private_groups = forms.BooleanField(
        label=_("Show the names of unlisted groups and their sessions in my calendar"),
        required=False,
        help_text=_(
            "Off: sessions of unlisted groups show only as “Peer Support session”, so nobody "
            "glancing at your calendar learns which group it is."
        ),
    )
