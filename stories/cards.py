"""The story page's hot partials (bylines, reaction controls, reply cards), built in Python.

A page with 50 replies repeats these 50 times, so they are plain string building with explicit
escaping rather than template includes (see `make bench-stories`). The shared part of each reply
card (byline for the viewer's class, body, state) comes from `stories.thread_cache`, rendered
once per thread version; what differs per viewer (pressed reactions, own links, "(you)", the
held notice, the position, the time in the viewer's time zone, the CSRF token) is filled in
here on every request, without re-rendering the shared part.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import ModerationState, ReactionKind


def byline_html(
    *,
    is_anonymous: bool,
    author_name: str | None,
    reveal: bool,
) -> str:
    """The author's name, "Anonymous member" (named, and marked, for moderators) or "A former member"."""
    if is_anonymous:
        anonymous = escape(_("Anonymous member"))
        if reveal and author_name is not None:
            note = escape(
                _("posted by %(name)s, shown to facilitators only") % {"name": author_name}
            )
            return f'<span class="byline-anon">{anonymous}</span> <span class="byline-reveal">({note})</span>'
        return anonymous
    if author_name is None:
        return escape(_("A former member"))
    return escape(author_name)


def you_suffix() -> str:
    """After "Anonymous member" on the author's own anonymous post (members only)."""
    return f' <span class="byline-reveal">({escape(_("you"))})</span>'


@lru_cache(maxsize=4096)
def _ago(language: str, seconds: int) -> str:
    # naturaltime's words depend only on how long ago, to the second under a minute and to the
    # minute under a day: a page of 50 replies asks for the same few answers.
    return escape(naturaltime(timezone.now() - timedelta(seconds=seconds)))


def time_html(value: datetime, now: datetime | None = None) -> str:
    """`<time>` with the moment (UTC, machine-readable) and "3 hours ago" as text."""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    if 0 <= seconds < 86400:
        text = _ago(get_language() or "", seconds if seconds < 3600 else seconds - seconds % 60)
    else:
        text = escape(naturaltime(value))
    return f'<time datetime="{value.replace(microsecond=0).isoformat()}">{text}</time>'


class Urls:
    """URL patterns reversed once per page, each pk filled in (a page has one per reply)."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self._patterns: dict[str, str] = {}

    def get(self, name: str, pk: int) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = reverse(name, kwargs={"slug": self.slug, "pk": 999999999}).replace(
                "999999999", "{}"
            )
            self._patterns[name] = pattern
        return pattern.format(int(pk))

    def report(self, model: type, pk: int) -> str:
        key = f"report:{model._meta.label}"
        pattern = self._patterns.get(key)
        if pattern is None:
            from django.contrib.contenttypes.models import ContentType

            content_type = ContentType.objects.get_for_model(model)  # cached after the first call
            pattern = reverse(
                "moderation:report",
                kwargs={"content_type_id": content_type.pk, "object_id": 999999999},
            ).replace("999999999", "{}")
            self._patterns[key] = pattern
        return pattern.format(int(pk))


class Labels(NamedTuple):
    """Every fixed string of the cards, translated and escaped once per language."""

    reactions: tuple[tuple[str, str], ...]  # (kind, escaped label)
    including_yours: str
    so_far: str
    react: str
    group: str
    reply_n: str
    reply_n_lower: str
    to_reply_n: str
    to_story: str
    edited: str
    states: dict[str, str]
    held_own: str
    removed: str
    edit: str
    remove: str
    history: str
    report: str


@lru_cache(maxsize=32)
def _labels(language: str) -> Labels:
    return Labels(
        reactions=tuple((kind, escape(label)) for kind, label in ReactionKind.choices),
        including_yours=escape(_(", including yours")),
        so_far=escape(_("Support reactions so far")),
        react=escape(_("React")),
        group=escape(_("Support reactions")),
        reply_n=_("Reply %(n)s"),
        reply_n_lower=_("reply %(n)s"),
        to_reply_n=_("to reply %(n)s"),
        to_story=_("to this story"),
        edited=escape(_("edited")),
        states={k: escape(v) for k, v in ModerationState.choices},
        held_own=escape(
            _(
                "Your reply is waiting for a facilitator. Only you and the facilitators can see "
                "it until they approve it."
            )
        ),
        removed=escape(_("This reply was removed by the author.")),
        edit=escape(_("Edit")),
        remove=escape(_("Remove")),
        history=escape(_("Earlier versions")),
        report=escape(_("Report")),
    )


def labels() -> Labels:
    return _labels(get_language() or "")


def reactions_html(
    *,
    url: str,
    dom_id: str,
    counts: Mapping[str, int],
    mine: Iterable[str],
    can_react: bool,
    csrf_token: str = "",
    open_picker: bool = False,
    about: str = "",
) -> str:
    """ONE compact reaction control per post: the counts above zero (the viewer's own marked),
    then a single "React" link. The link opens the four choices as one form: in place with htmx
    (the same URL answers a GET with the form), or on a small page without JavaScript. With
    `open_picker` the form itself is returned (the htmx answer, and after a reaction).
    `csrf_token` comes escaped (once per page); `about` names the post for screen readers."""
    text = labels()
    mine = set(mine)
    url = escape(url)
    tallies = []
    for kind, label in text.reactions:
        n = int(counts.get(kind, 0))
        if n <= 0:
            continue
        yours = (
            f'<span class="visually-hidden">{text.including_yours}</span>' if kind in mine else ""
        )
        tallies.append(
            f'<li class="reaction-tally{" is-mine" if kind in mine else ""}">{label} '
            f'<span class="reaction-count">{n}</span>{yours}</li>'
        )
    tally_html = (
        f'<ul class="reaction-tallies" aria-label="{text.so_far}">{"".join(tallies)}</ul>'
        if tallies
        else ""
    )
    about_html = f'<span class="visually-hidden"> {escape(about)}</span>' if about else ""
    if not open_picker:
        toggle = (
            # hx-target="closest .reactions" and hx-swap="outerHTML" come from the enclosing
            # element in the template: one pair of attributes per page, not one per post.
            f'<a class="reaction-toggle" href="{url}" hx-get="{url}">{text.react}{about_html}</a>'
            if can_react
            else ""
        )
        return f'<div class="reactions" id="{escape(dom_id)}">{tally_html}{toggle}</div>'
    parts = [
        f'<form method="post" action="{url}" hx-post="{url}" class="reactions is-open" '
        f'id="{escape(dom_id)}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">{tally_html}'
    ]
    if can_react:
        buttons = "".join(
            f'<button name="kind" value="{kind}" '
            f'aria-pressed="{"true" if kind in mine else "false"}">{label}</button>'
            for kind, label in text.reactions
        )
        # A named group, not a named form: a named form is a landmark, and a page with a story
        # and its replies would have many landmarks called the same (axe).
        parts.append(
            f'<div class="reaction-buttons" role="group" aria-label="{text.group}">{buttons}</div>'
        )
    parts.append("</form>")
    return "".join(parts)


def reply_cards_html(
    *,
    cards: Iterable,
    start_index: int,
    user_id: int | None,
    can_moderate: bool,
    can_react: bool,
    mine: Mapping[int, set[str]],
    urls: Urls,
    reply_model: type,
) -> str:
    """Every reply card on the page: the cached shared part plus this viewer's state."""
    text = labels()
    now = timezone.now()
    out = []
    for i, card in enumerate(cards):
        n = start_index + i
        own = user_id is not None and card.author_id == user_id
        visible = card.state == ModerationState.VISIBLE
        meta = card.byline
        if own and card.is_anonymous and not can_moderate:
            meta += you_suffix()
        meta += " · " + time_html(card.created_at, now)
        if card.edited and not card.is_deleted:
            meta += f" · {text.edited}"
        if not visible:
            meta += f" · {text.states.get(card.state, '')}"
        parts = [
            f'<article class="card reply" id="reply-{card.pk}" '
            f'aria-label="{escape(text.reply_n % {"n": n})}">'
            f'<p class="meta reply-meta">{meta}</p>'
        ]
        if own and card.state == ModerationState.HELD:
            parts.append(f'<p class="callout">{text.held_own}</p>')
        if card.is_deleted:
            parts.append(f'<p class="removed">{text.removed}</p>')
        else:
            parts.append(f'<div class="prose">{card.body_html}</div>')
            actions = []
            if own:
                actions.append(
                    f'<a href="{urls.get("stories:reply_edit", card.pk)}">{text.edit}</a>'
                )
                actions.append(
                    f'<a href="{urls.get("stories:reply_delete", card.pk)}">{text.remove}</a>'
                )
            if can_moderate and card.edited:
                actions.append(
                    f'<a href="{urls.get("stories:reply_history", card.pk)}">{text.history}</a>'
                )
            if not own and visible:
                hidden = escape(text.reply_n_lower % {"n": n})
                actions.append(
                    f'<a href="{urls.report(reply_model, card.pk)}" class="report-link">{text.report}'
                    f'<span class="visually-hidden"> {hidden}</span></a>'
                )
            reactions = reactions_html(
                url=urls.get("stories:reply_react", card.pk),
                dom_id=f"reactions-reply-{card.pk}",
                counts=dict(card.counts),
                mine=mine.get(card.pk, ()),
                can_react=can_react and visible,
                about=text.to_reply_n % {"n": n},
            )
            parts.append(
                f'<div class="post-footer">{reactions}'
                + (f'<p class="actions">{" ".join(actions)}</p>' if actions else "")
                + "</div>"
            )
        parts.append("</article>")
        out.append("".join(parts))
    return "\n".join(out)
