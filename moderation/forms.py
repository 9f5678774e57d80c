"""Forms only parse; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Action, Reason, WatchedWord

REASON_REQUIRED = _("Please say briefly why. It's kept in the audit log.")


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What's wrong?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the reason closest to what you saw.")},
    )
    note = forms.CharField(
        label=_("Anything else the facilitators should know? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


ACTION_CHOICES = [
    (Action.Kind.HIDE, _("Hide it")),
    (Action.Kind.HIDE_PENDING, _("Hide it while the case stays open")),
    (Action.Kind.RESTORE, _("Restore it")),
    (Action.Kind.REDACT, _("Redact part of the text")),
    (Action.Kind.DISMISS, _("Dismiss: no action needed")),
    (Action.Kind.WARN, _("Warn the member privately")),
    (Action.Kind.MUTE, _("Mute the member in this group")),
    (Action.Kind.REMOVE, _("Remove the member from this group")),
    (Action.Kind.BAN, _("Ban the member from the site")),
]


class CaseActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to do"), choices=ACTION_CHOICES)
    reason_code = forms.ChoiceField(
        label=_("Which rule or concern"), choices=Reason.choices, initial=Reason.OTHER
    )
    reason = forms.CharField(
        label=_("Reason (for the audit log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_REQUIRED},
    )
    note_to_author = forms.CharField(
        label=_("A kind note to the member (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateTimeField(
        label=_("Muted until (for mutes)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    new_text = forms.CharField(
        label=_("Text after redaction (for redactions)"),
        required=False,
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["kind"].choices = [
                (k, label) for k, label in ACTION_CHOICES if k in allowed
            ]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Action.Kind.MUTE and data.get("until") and data["until"] <= timezone.now():
            self.add_error("until", _("Please choose a time in the future."))
        if kind == Action.Kind.REDACT and not (data.get("new_text") or "").strip():
            self.add_error("new_text", _("Please give the text as it should read after redaction."))
        return data


class HeldDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A kind note to the member (needed when declining)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", _("Please tell the member why, kindly, so they can try again."))
        return data


class WatchedWordForm(forms.Form):
    phrase = forms.CharField(label=_("Word or phrase"), max_length=100)
    action = forms.ChoiceField(
        label=_("What happens when it's used"),
        choices=WatchedWord.Action.choices,
        initial=WatchedWord.Action.FLAG,
    )


class ModeratorNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for facilitators"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write the note first.")},
    )


class GroupSettingsForm(forms.Form):
    premoderation = forms.BooleanField(
        label=_("Review every new story before it appears"), required=False
    )
    thread_slow_mode_minutes = forms.IntegerField(
        label=_("Slow mode for story threads (minutes between replies per member; 0 for off)"),
        min_value=0,
        max_value=1440,
        initial=0,
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like an administrator to know?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Please tell us a little about why you'd like this looked at again.")
        },
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("uphold", _("Keep the decision")), ("overturn", _("Reverse the decision"))],
    )
    note = forms.CharField(
        label=_("Note to the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_REQUIRED},
    )


class AuditFilterForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    actor = forms.CharField(label=_("Who (display name)"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, groups=(), actions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in groups]
        self.fields["action"].choices = [("", _("All actions"))] + [(a, a) for a in actions]


class DebriefForm(forms.Form):
    note = forms.CharField(
        label=_("Anything you'd like them to know (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the note under 1,000 characters.")},
    )
