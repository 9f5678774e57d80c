"""Forms parse and validate; the services do the work."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Group, MuteFor

# Paths under /groups/ that a group's slug must not take.
RESERVED_SLUGS = {"mine", "invite", "manage", "new", "staff"}


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search groups"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: object, topics: list[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t, t) for t in topics]


class RulesAcceptanceMixin(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        # A sentence, not a field name: no trailing colon after "I agree to follow them".
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    accept_rules = forms.BooleanField(
        label=_("I have read the group's rules and I agree to follow them"),
        error_messages={"required": _("Please read the rules and tick the box to agree to them.")},
    )


class JoinForm(RulesAcceptanceMixin):
    pass


class JoinRequestForm(RulesAcceptanceMixin):
    message = forms.CharField(
        label=_("A few words for the facilitators (optional)"),
        help_text=_("Only this group's facilitators will see this."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAcceptForm(RulesAcceptanceMixin):
    pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("A kind note for the person (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


EXPIRY_CHOICES = [("1", _("1 day")), ("7", _("7 days")), ("30", _("30 days"))]


class InvitationLinkForm(forms.Form):
    expires_in_days = forms.TypedChoiceField(
        label=_("Link works for"), choices=EXPIRY_CHOICES, coerce=int, initial="7"
    )
    max_uses = forms.IntegerField(
        label=_("How many people can use it"), min_value=1, max_value=100, initial=5
    )

    @property
    def expires_in(self) -> timedelta:
        return timedelta(days=self.cleaned_data["expires_in_days"])


class DirectInvitationForm(forms.Form):
    display_name = forms.CharField(label=_("Member's display name"), max_length=30)
    expires_in_days = forms.TypedChoiceField(
        label=_("Invitation works for"), choices=EXPIRY_CHOICES, coerce=int, initial="7"
    )


# Durations from the one vocabulary (groups.models.MuteFor): the members page's choices.
MUTE_CHOICES = [
    (MuteFor.HOUR.value, MuteFor.HOUR.label),
    (MuteFor.DAY.value, MuteFor.DAY.label),
    (MuteFor.WEEK.value, MuteFor.WEEK.label),
    (MuteFor.LIFTED.value, MuteFor.LIFTED.label),
]


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("mute", _("Mute")),
            ("unmute", _("Unmute")),
            ("remove", _("Remove")),
            ("reinstate", _("Reinstate")),
        ]
    )
    mute_for = forms.ChoiceField(label=_("Mute for"), choices=MUTE_CHOICES, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "mute" and not data.get("mute_for"):
            self.add_error("mute_for", _("Please choose how long the mute lasts."))
        return data


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "slug", "topic", "description", "rules", "visibility", "join_policy"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 8}),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("That web address is used by the site. Please choose another.")
            )
        return slug


class FacilitatorAppointForm(forms.Form):
    display_name = forms.CharField(label=_("Member's display name"), max_length=30)


class FacilitatorRemoveForm(forms.Form):
    allow_no_facilitator = forms.BooleanField(
        label=_("I understand this may leave the group without a facilitator"), required=False
    )
    # Set by the confirmation page's button: removing a facilitator is never one stray click.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
