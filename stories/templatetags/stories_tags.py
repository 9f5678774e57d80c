"""Bylines and reaction buttons, rendered in Python because a story page repeats them per reply.

The markup is what a template would produce; building it here keeps the story page with 50
replies fast (see `make bench`). Every string is translated and every value escaped.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
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
            note = _("posted by %(name)s, shown to facilitators only") % {
                "name": item.author.display_name
            }
            return format_html(
                '<span class="byline-anon">{}</span> <span class="byline-reveal">({})</span>',
                anonymous,
                note,
            )
        if user is not None and item.author_id is not None and item.author_id == user.pk:
            return format_html('{} <span class="byline-reveal">({})</span>', anonymous, _("you"))
        return format_html("{}", anonymous)
    if item.author is None:
        return format_html("{}", _("A former member"))
    return format_html("{}", item.author.display_name)


def _react_url(context: template.Context, name: str, slug: str, pk: int) -> str:
    # Reverse once per page and fill in each pk: a page has one reaction form per reply.
    key = ("stories_react_url", name, slug)
    pattern = context.render_context.get(key)
    if pattern is None:
        pattern = reverse(name, kwargs={"slug": slug, "pk": 999999999}).replace("999999999", "{}")
        context.render_context[key] = pattern
    return pattern.format(pk)


@register.simple_tag(takes_context=True)
def reactions(context: template.Context, item: Story | Reply, is_reply: bool = False) -> SafeString:
    """One form with a toggle button per support reaction; htmx swaps the form, without JS it posts."""
    group = context["group"]
    access = context.get("access")
    name = "stories:reply_react" if is_reply else "stories:react"
    url = escape(_react_url(context, name, group.slug, item.pk))
    disabled = "" if access is not None and access.can_post else " disabled"
    # Plain string building with explicit escaping: format_html per button is the slow part here.
    buttons = "\n".join(
        f'<button type="submit" name="kind" value="{escape(row.kind)}" class="reaction{" is-mine" if row.mine else ""}" '
        f'aria-pressed="{"true" if row.mine else "false"}"{disabled}>{escape(row.label)} '
        f'<span class="reaction-count">{int(row.count)}</span></button>'
        for row in item.reaction_rows
    )
    return mark_safe(  # noqa: S308 - every interpolated value above and below is escaped or an int
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="this" hx-swap="outerHTML" class="reactions" '
        f'id="reactions-{"reply" if is_reply else "story"}-{int(item.pk)}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.get("csrf_token", ""))}">'
        # A named group, not a named form: a named form is a landmark, and a page with a story
        # and its replies would have many landmarks all called the same (axe: landmark-unique).
        f'<div class="reaction-buttons" role="group" aria-label="{escape(_("Support reactions"))}">{buttons}</div></form>'
    )
