"""Forms parse and validate; services do the work."""

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .countries import is_country
from .models import Category, Resource, Suggestion

MAX_TAGS = 10
TAG_RE = re.compile(r"^[\w][\w \-']{0,39}$", re.UNICODE)
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{1,28}$")


def clean_web_address(value: str) -> str:
    """Only http and https: a javascript: or data: link must never reach a page."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("Please give a web address starting with https:// (or http://)."))
    return value


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", value or "") if part.strip()]


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists."),
    )
    body = forms.CharField(
        label=_("Article text"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown. For articles."),
    )
    url = forms.CharField(
        label=_("Web address"),
        max_length=500,
        required=False,
        help_text=_("For links and crisis lines. Must start with https:// or http://."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    sms = forms.CharField(label=_("Text / SMS number"), max_length=30, required=False)
    chat_url = forms.CharField(label=_("Web chat address"), max_length=500, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=120, required=False)
    countries = forms.CharField(
        label=_("Countries"),
        max_length=500,
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. GB, IE. Empty means anywhere."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, es."),
    )
    verified_on = forms.DateField(
        label=_("Details last verified"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Words separated by commas, e.g. sleep, grief."),
    )
    source_note = forms.CharField(label=_("Source or evidence"), max_length=500, required=False)

    def clean_url(self) -> str:
        return clean_web_address(self.cleaned_data["url"])

    def clean_chat_url(self) -> str:
        return clean_web_address(self.cleaned_data["chat_url"])

    def _clean_number(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if value and not PHONE_RE.match(value):
            raise ValidationError(_("Please use digits, spaces and an optional + only."))
        return value

    def clean_phone(self) -> str:
        return self._clean_number("phone")

    def clean_sms(self) -> str:
        return self._clean_number("sms")

    def clean_countries(self) -> list[str]:
        codes = [c.upper() for c in _split(self.cleaned_data["countries"])]
        unknown = [c for c in codes if not is_country(c)]
        if unknown:
            raise ValidationError(
                _(
                    "We don't recognise %(codes)s. Please use two-letter country codes like GB or US."
                ),
                params={"codes": ", ".join(unknown)},
            )
        return list(dict.fromkeys(codes))

    def clean_languages(self) -> list[str]:
        codes = _split(self.cleaned_data["languages"])
        bad = [c for c in codes if not LANGUAGE_RE.match(c)]
        if bad:
            raise ValidationError(_("Please use language codes like en or es."))
        return list(dict.fromkeys(codes))

    def clean_tags(self) -> list[str]:
        names = _split(self.cleaned_data["tags"])
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Please use at most %(n)d tags."), params={"n": MAX_TAGS})
        if any(not TAG_RE.match(n) for n in names):
            raise ValidationError(
                _(
                    "Tags are short words: letters, numbers, spaces and hyphens, up to 40 characters."
                )
            )
        return list(dict.fromkeys(names))

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Resource.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("A link needs a web address."))
        if (
            kind == Resource.Kind.ARTICLE
            and not (data.get("body") or "").strip()
            and "body" not in self.errors
        ):
            self.add_error("body", _("An article needs some text."))
        if kind == Resource.Kind.CRISIS_LINE and not any(
            data.get(f) for f in ("phone", "sms", "chat_url", "url")
        ):
            if not any(f in self.errors for f in ("phone", "sms", "chat_url", "url")):
                self.add_error(
                    "phone",
                    _("A crisis line needs a phone number, a text number or a web address."),
                )
        return data

    @classmethod
    def initial_for(cls, resource: Resource) -> dict:
        return {
            "kind": resource.kind,
            "title": resource.title,
            "summary": resource.summary,
            "body": resource.body,
            "url": resource.url,
            "phone": resource.phone,
            "sms": resource.sms,
            "chat_url": resource.chat_url,
            "opening_hours": resource.opening_hours,
            "countries": ", ".join(resource.countries),
            "languages": ", ".join(resource.languages),
            "verified_on": resource.verified_on,
            "categories": list(resource.categories.all()),
            "tags": ", ".join(t.name for t in resource.tags.all()),
            "source_note": resource.source_note,
        }


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you suggesting?"),
        choices=Suggestion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Suggestion.Kind.LINK,
    )
    title = forms.CharField(label=_("Title or topic"), max_length=150)
    url = forms.CharField(label=_("Web address (optional)"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Why it helps (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_url(self) -> str:
        return clean_web_address(self.cleaned_data["url"])


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)


class CountryForm(forms.Form):
    country = forms.CharField(max_length=2, required=False)

    def clean_country(self) -> str:
        code = (self.cleaned_data["country"] or "").upper()
        if code and not is_country(code):
            raise ValidationError(_("We don't know that country yet."))
        return code
