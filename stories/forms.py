"""Parsing and field validation for stories, replies, reactions, search and warning preferences."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import (
    REPLY_BODY_MAX,
    STORY_BODY_MAX,
    TITLE_MAX,
    WARNING_NOTE_MAX,
    ReactionKind,
    Theme,
    WarningPreference,
)

# The composer's gentle check (htmx): crisis language shows the support panel; it never blocks.
SUPPORT_CHECK = {
    "hx-post": reverse_lazy("moderation:support_check"),
    "hx-trigger": "input changed delay:800ms",
    "hx-target": "#support-panel",
    "hx-swap": "innerHTML",
}

KIND_ERRORS = {
    "required": _("Please write something here."),
    "max_length": _(
        "Please keep this to %(limit_value)s characters or fewer (it has %(show_value)s)."
    ),
}


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, error_messages=KIND_ERRORS)
    body = forms.CharField(
        label=_("Your story"),
        max_length=STORY_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12, **SUPPORT_CHECK}),
        error_messages=KIND_ERRORS,
        help_text=_(
            "Write as much or as little as you like. You can use Markdown: *italic*, **bold**, lists and links."
        ),
    )
    warnings = forms.MultipleChoiceField(
        label=_("Content warnings (optional)"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "If your story touches on any of these, readers will see the warning before the story opens."
        ),
        error_messages={"invalid_choice": _("Please choose warnings from the list.")},
    )
    warning_note = forms.CharField(
        label=_("Anything else to warn about (optional)"),
        max_length=WARNING_NOTE_MAX,
        required=False,
        error_messages=KIND_ERRORS,
    )
    is_anonymous = forms.BooleanField(
        label=_("Post as “Anonymous member”"),
        required=False,
        help_text=_(
            "Other members won't see your name. The group's facilitators still can, to keep everyone safe."
        ),
    )
    replies_welcome = forms.TypedChoiceField(
        label=_("Replies"),
        coerce=lambda v: v == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("I'd welcome replies")), ("no", _("Just sharing (replies closed)"))],
    )


class StoryEditForm(StoryForm):
    """The same fields, minus anonymity: who a story was posted as does not change afterwards."""

    is_anonymous = None


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, **SUPPORT_CHECK}),
        error_messages=KIND_ERRORS,
    )
    is_anonymous = forms.BooleanField(label=_("Reply as “Anonymous member”"), required=False)


class ReplyEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=KIND_ERRORS,
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search stories"), max_length=200, required=False)


class WarningPreferencesForm(forms.Form):
    """One choice per theme: the default (collapsed), always show, or hide such stories."""

    def __init__(
        self, *args: object, initial_choices: dict[str, str] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        initial_choices = initial_choices or {}
        for theme, label in Theme.choices:
            self.fields[theme] = forms.ChoiceField(
                label=label,
                required=False,
                widget=forms.RadioSelect,
                initial=initial_choices.get(theme, ""),
                choices=[
                    ("", _("Collapse behind the warning (default)")),
                    *WarningPreference.Choice.choices,
                ],
            )


SLOW_MODE_CHOICES = [
    ("", _("The group's default")),
    ("0", _("Off")),
    ("5", _("One reply every 5 minutes")),
    ("15", _("One reply every 15 minutes")),
    ("60", _("One reply an hour")),
]


class SlowModeForm(forms.Form):
    """A facilitator's choice of slow mode for one thread."""

    minutes = forms.TypedChoiceField(
        label=_("Slow mode for this thread"),
        choices=SLOW_MODE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
