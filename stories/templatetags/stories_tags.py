"""Bylines and reaction buttons, rendered in Python because a story page repeats them per reply.

The markup is what a template would produce; building it here keeps the story page with 50
replies fast (see `make bench`). Every string is translated and every value escaped.
"""
from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from stories.models import Reply, Story

register = template.Library()


@register.simple_tag(takes_context=True)
def byline(context: template.Context, item: Story | Reply) -> SafeString:
    """The author's name, or "Anonymous member" (named, and marked, for facilitators and the author)."""
    access = context.get("access")
    user = context.get("user")
    if item.is_anonymous:
        anonymous = _("Anonymous member")
        if access is not None and access.can_moderate and item.author is not None:
            note = _("posted by %(name)s, shown to facilitators only") % {"name": item.author.display_name}
            return format_html('<span class="byline-anon">{}</span> <span class="byline-reveal">({})</span>',
                               anonymous, note)
        if user is not None and item.author_id is not None and item.author_id == user.pk:
            return format_html('{} <span class="byline-reveal">({})</span>', anonymous, _("you"))
        return format_html("{}", anonymous)
    if item.author is None:
        return format_html("{}", _("A former member"))
    return format_html("{}", item.author.display_name)


@register.simple_tag(takes_context=True)
def reactions(context: template.Context, item: Story | Reply, is_reply: bool = False) -> SafeString:
    """One form with a toggle button per support reaction; htmx swaps the form, without JS it posts."""
    group = context["group"]
    access = context.get("access")
    name = "stories:reply_react" if is_reply else "stories:react"
    url = reverse(name, kwargs={"slug": group.slug, "pk": item.pk})
    disabled = "" if access is not None and access.can_post else " disabled"
    buttons = format_html_join(
        "\n",
        '<button type="submit" name="kind" value="{}" class="reaction{}" aria-pressed="{}"{}>{} '
        '<span class="reaction-count">{}</span></button>',
        ((row.kind, " is-mine" if row.mine else "", "true" if row.mine else "false", disabled, row.label, row.count)
         for row in item.reaction_rows),
    )
    return format_html(
        '<form method="post" action="{url}" hx-post="{url}" hx-target="this" hx-swap="outerHTML" class="reactions" '
        'id="reactions-{kind}-{pk}" aria-label="{label}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">{buttons}</form>',
        url=url, kind="reply" if is_reply else "story", pk=item.pk, label=_("Support reactions"),
        csrf=context.get("csrf_token", ""), buttons=buttons,
    )
