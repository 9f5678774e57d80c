"""The guided plan form: one field per step, one item per line; people and services as rows of
name and phone. Every field is optional (a plan can be saved half-done); limits give kind
field errors and nothing is saved until the whole form is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .content import (
    CONTACT_KEYS,
    LIST_KEYS,
    MAX_CONTACTS,
    MAX_ITEM_LENGTH,
    MAX_ITEMS,
    MAX_NAME_LENGTH,
    MAX_PHONE_LENGTH,
    STEPS,
    Contact,
    PlanContent,
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _too_long(limit: int) -> str:
    return _("Please keep this to %(max)d characters or fewer.") % {"max": limit}


class PlanForm(forms.Form):
    def __init__(self, *args, suggestions: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (name, number) of crisis lines for the member's country, offered for "Professionals".
        self.suggestions = suggestions or []
        for step in STEPS:
            if step.contacts:
                for i in range(1, MAX_CONTACTS + 1):
                    self.fields[f"{step.key}_name_{i}"] = forms.CharField(
                        label=_("Name %(n)d") % {"n": i},
                        required=False,
                        max_length=MAX_NAME_LENGTH,
                        error_messages={"max_length": _too_long(MAX_NAME_LENGTH)},
                        widget=forms.TextInput(attrs={"autocomplete": "off"}),
                    )
                    self.fields[f"{step.key}_phone_{i}"] = forms.CharField(
                        label=_("Phone %(n)d") % {"n": i},
                        required=False,
                        max_length=MAX_PHONE_LENGTH,
                        error_messages={"max_length": _too_long(MAX_PHONE_LENGTH)},
                        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
                    )
            else:
                self.fields[step.key] = forms.CharField(
                    label=step.title,
                    required=False,
                    # Room for every item plus line breaks; the per-item limits are checked below.
                    max_length=MAX_ITEMS * (MAX_ITEM_LENGTH + 2),
                    error_messages={
                        "max_length": _(
                            "This is more than a step of the plan can hold. Please keep to "
                            "%(max)d short lines."
                        )
                        % {"max": MAX_ITEMS}
                    },
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=step.example,
                )
        self.fields["suggested"] = forms.MultipleChoiceField(
            label=_("Add crisis lines from your country"),
            required=False,
            choices=[
                (str(i), f"{name} ({phone})") for i, (name, phone) in enumerate(self.suggestions)
            ],
            widget=forms.CheckboxSelectMultiple,
        )

    @classmethod
    def initial_from(cls, content: PlanContent) -> dict:
        initial: dict = {key: "\n".join(getattr(content, key)) for key in LIST_KEYS}
        for key in CONTACT_KEYS:
            for i, contact in enumerate(getattr(content, key)[:MAX_CONTACTS], start=1):
                initial[f"{key}_name_{i}"] = contact.name
                initial[f"{key}_phone_{i}"] = contact.phone
        return initial

    def _clean_list(self, key: str) -> list[str]:
        items = _lines(self.cleaned_data.get(key, ""))
        if len(items) > MAX_ITEMS:
            raise forms.ValidationError(
                ngettext(
                    "Please keep this to %(max)d thing or fewer (you have %(n)d). A short list is easier to use on a hard day.",
                    "Please keep this to %(max)d things or fewer (you have %(n)d). A short list is easier to use on a hard day.",
                    MAX_ITEMS,
                )
                % {"max": MAX_ITEMS, "n": len(items)}
            )
        too_long = [n for n, item in enumerate(items, start=1) if len(item) > MAX_ITEM_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _(
                    "Line %(line)d is longer than %(max)d characters. Could you say it more "
                    "briefly, or split it over two lines?"
                )
                % {"line": too_long[0], "max": MAX_ITEM_LENGTH}
            )
        return items

    def clean(self) -> dict:
        cleaned = super().clean()
        for key in LIST_KEYS:
            if key in self.errors:
                continue
            try:
                cleaned[f"{key}_items"] = self._clean_list(key)
            except forms.ValidationError as exc:
                self.add_error(key, exc)
        for key in CONTACT_KEYS:
            contacts = []
            for i in range(1, MAX_CONTACTS + 1):
                name = (cleaned.get(f"{key}_name_{i}") or "").strip()
                phone = (cleaned.get(f"{key}_phone_{i}") or "").strip()
                if name or phone:
                    contacts.append(Contact(name=name, phone=phone))
            cleaned[f"{key}_items"] = contacts
        chosen = [self.suggestions[int(i)] for i in cleaned.get("suggested") or []]
        if chosen:
            professionals = cleaned.get("professionals_items", [])
            known = {c.phone for c in professionals}
            for name, phone in chosen:
                if phone not in known:
                    professionals.append(Contact(name=name, phone=phone))
            if len(professionals) > MAX_CONTACTS:
                self.add_error(
                    "suggested",
                    _(
                        "There's room for %(max)d professionals and services. Please clear a "
                        "row above before adding more."
                    )
                    % {"max": MAX_CONTACTS},
                )
            cleaned["professionals_items"] = professionals
        return cleaned

    def content(self) -> PlanContent:
        """The plan as typed (only after is_valid())."""
        return PlanContent(
            **{key: self.cleaned_data[f"{key}_items"] for key in (*LIST_KEYS, *CONTACT_KEYS)}
        )


class ShareForm(forms.Form):
    group = forms.ModelChoiceField(
        queryset=None,
        label=_("Which group's facilitators?"),
        empty_label=_("Choose a group…"),
        error_messages={
            "required": _("Please choose one of your groups."),
            "invalid_choice": _("Please choose one of your groups."),
        },
    )

    def __init__(self, *args, groups=None, **kwargs) -> None:  # noqa: ANN001 - a queryset
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
