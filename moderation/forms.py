"""Forms only parse; the services decide."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import MuteFor, mute_until

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
    (Action.Kind.DISMISS, _("No action needed: close the case")),
    (Action.Kind.HIDE, _("Hide it")),
    (Action.Kind.HIDE_PENDING, _("Hide it while the case stays open")),
    (Action.Kind.RESTORE, _("Restore it")),
    (Action.Kind.REDACT, _("Redact part of the text")),
    (Action.Kind.WARN, _("Warn the member privately")),
    (Action.Kind.MUTE, _("Mute the member in this group")),
    (Action.Kind.REMOVE, _("Remove the member from this group")),
    (Action.Kind.BAN, _("Ban the member from the site")),
]
# What can go together in one submission: one notice, one appeal.
COMBINABLE = (Action.Kind.HIDE, Action.Kind.REDACT, Action.Kind.WARN, Action.Kind.MUTE)
# The one vocabulary of mute durations (groups.models.MuteFor), plus an exact date here.
# "Don't mute" has a value of its own: a radio whose value is "" would be checked by default,
# and the case form preselects nothing.
NO_MUTE = "none"
MUTE_FOR_CHOICES = [
    (NO_MUTE, _("Don't mute")),
    (MuteFor.HOUR.value, MuteFor.HOUR.label),
    (MuteFor.DAY.value, MuteFor.DAY.label),
    (MuteFor.WEEK.value, MuteFor.WEEK.label),
    ("date", _("Until a date and time (below)")),
    (MuteFor.LIFTED.value, MuteFor.LIFTED.label),
]


class CaseActionForm(forms.Form):
    # No action is preselected: the facilitator chooses, and must choose the reason too.
    kind = forms.ChoiceField(
        label=_("What to do"),
        choices=ACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what to do.")},
    )
    also_warn = forms.BooleanField(label=_("Also warn the member privately"), required=False)
    mute_for = forms.ChoiceField(
        label=_("Mute the member (with hiding, redacting or a warning, or on its own)"),
        choices=MUTE_FOR_CHOICES,
        required=False,
        # Nothing preselected, "Don't mute" included: the facilitator chooses every part.
        widget=forms.RadioSelect,
    )
    until = forms.DateTimeField(
        label=_("Muted until (when muting until a date)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason_code = forms.ChoiceField(
        label=_("Which rule or concern"),
        choices=[("", _("Choose one…")), *Reason.choices],
        error_messages={"required": _("Please choose the rule or concern closest to this.")},
    )
    reason = forms.CharField(
        label=_("Reason (for the audit log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REASON_REQUIRED},
    )
    note_to_author = forms.CharField(
        label=_("A kind note to the member (optional; they receive it privately)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_text = forms.CharField(
        label=_("Text after redaction (for redactions)"),
        required=False,
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    no_outreach_reason = forms.CharField(
        label=_("If you close it with no action and sent no private message: why not?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        allowed: list[str] | None = None,
        urgent: bool = False,
        outreach_recorded: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.urgent, self.outreach_recorded = urgent, outreach_recorded
        self.allowed = allowed
        if allowed is not None:
            self.fields["kind"].choices = [
                (k, label) for k, label in ACTION_CHOICES if k in allowed
            ]
            if Action.Kind.WARN not in allowed:
                del self.fields["also_warn"]
            if Action.Kind.MUTE not in allowed:
                del self.fields["mute_for"]
                del self.fields["until"]
            if Action.Kind.REDACT not in allowed:
                del self.fields["new_text"]
        if not urgent or outreach_recorded:
            del self.fields["no_outreach_reason"]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        mute_for = data.get("mute_for") or ""
        if mute_for == NO_MUTE:
            mute_for = data["mute_for"] = ""
        data["mute"], data["mute_until"] = False, None
        if kind == Action.Kind.MUTE and not mute_for:
            self.add_error("mute_for", _("Please choose how long the mute lasts."))
        if mute_for:
            if kind not in COMBINABLE:
                self.add_error(
                    "mute_for",
                    _("A mute goes with hiding, redacting or a warning; choose one of those."),
                )
            elif mute_for == "date":
                until = data.get("until")
                if until is None:
                    self.add_error("until", _("Please choose the date and time the mute ends."))
                elif until <= timezone.now():
                    self.add_error("until", _("Please choose a time in the future."))
                else:
                    data["mute"], data["mute_until"] = True, until
            else:
                data["mute"], data["mute_until"] = True, mute_until(mute_for)
        if data.get("also_warn") and kind not in COMBINABLE:
            self.add_error(
                "also_warn",
                _("A warning goes with hiding, redacting or a mute; choose one of those."),
            )
        if kind == Action.Kind.REDACT and not (data.get("new_text") or "").strip():
            self.add_error("new_text", _("Please give the text as it should read after redaction."))
        if (
            kind == Action.Kind.DISMISS
            and self.urgent
            and not self.outreach_recorded
            and not (data.get("no_outreach_reason") or "").strip()
        ):
            self.add_error(
                "no_outreach_reason",
                _(
                    "Someone may be at risk. Please send them a private message first, "
                    "or say here why there was no outreach."
                ),
            )
        return data


class StaffMessageForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)

    body = forms.CharField(
        label=_(
            "Your message (only the member, this group's facilitators and administrators see it)"
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please write a message first."),
            "max_length": _("Please keep the message under 2000 characters."),
        },
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Please write a message first."))
        return body


class ReplyForm(StaffMessageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Your reply (only this group's facilitators see it)")


class HandOverForm(forms.Form):
    # Several forms share the case page: ids of their own.
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)

    note = forms.CharField(
        label=_("What should the administrators know?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please say briefly what the administrators should know.")},
    )


FOLLOW_UP_CHOICES = [
    ("", _("Choose…")),
    ("1", _("in 1 hour")),
    ("4", _("in 4 hours")),
    ("24", _("in 24 hours")),
    ("48", _("in 2 days")),
    ("at", _("at a date and time (below)")),
]


class FollowUpForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "followup_%s")
        super().__init__(*args, **kwargs)

    when = forms.ChoiceField(
        label=_("When to follow up"),
        choices=FOLLOW_UP_CHOICES,
        error_messages={"required": _("Please choose when to follow up.")},
    )
    at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("Note to yourself (optional)"), required=False, max_length=200)

    def clean(self) -> dict:
        data = super().clean()
        when = data.get("when")
        if when == "at":
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Please choose the date and time."))
            elif at <= timezone.now():
                self.add_error("at", _("Please choose a time in the future."))
            else:
                data["due_at"] = at
        elif when:
            data["due_at"] = timezone.now() + timedelta(hours=int(when))
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
        label=_("Your note to the member (shown as from the administrator who looked again)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please write a note to the member about your decision.")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Please write a note to the member about your decision."))
        return note


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
        self.fields["action"].choices = [("", _("All actions")), *actions]


class DebriefForm(forms.Form):
    note = forms.CharField(
        label=_("Anything you'd like them to know (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the note under 1,000 characters.")},
    )
