"""Bylines, reaction controls and reply cards, rendered in Python (`stories/cards.py`) because a
story page repeats them per reply. Every string is translated and every value escaped.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stories import cards
from stories.models import Reply, Story

register = template.Library()


def _urls(context: template.Context) -> cards.Urls:
    # Reverse once per page and fill in each pk: a page has one reaction form per reply.
    group = context["group"]
    key = ("stories_urls", group.slug)
    urls = context.render_context.get(key)
    if urls is None:
        urls = cards.Urls(group.slug)
        context.render_context[key] = urls
    return urls


@register.simple_tag(takes_context=True)
def byline(context: template.Context, item: Story | Reply) -> SafeString:
    """The author's name, or "Anonymous member" (named, and marked, for facilitators and the author)."""
    access = context.get("access")
    user = context.get("user")
    reveal = access is not None and access.can_moderate
    html = cards.byline_html(
        is_anonymous=item.is_anonymous,
        author_name=item.author.display_name if item.author_id is not None else None,
        reveal=reveal,
    )
    own = user is not None and item.author_id is not None and item.author_id == user.pk
    if item.is_anonymous and own and not reveal:
        html += cards.you_suffix()
    return mark_safe(html)  # noqa: S308 - built by cards.byline_html, which escapes every value


@register.simple_tag(takes_context=True)
def story_reactions(context: template.Context, story: Story) -> SafeString:
    """The story's one reaction control, from the thread view the page was built with."""
    thread = context["thread"]
    access = context.get("access")
    return mark_safe(  # noqa: S308 - cards.reactions_html escapes every value
        cards.reactions_html(
            url=_urls(context).get("stories:react", story.pk),
            dom_id=f"reactions-story-{int(story.pk)}",
            counts=dict(thread.page.story_counts),
            mine=thread.mine.get(None, ()),
            can_react=access is not None and access.can_post and story.is_visible,
            about=cards.labels().to_story,
        )
    )


@register.simple_tag(takes_context=True)
def reply_cards(context: template.Context) -> SafeString:
    """Every reply card of the page: cached shared parts plus this viewer's state."""
    thread = context["thread"]
    access = context.get("access")
    user = context.get("user")
    page = context["page"]
    return mark_safe(  # noqa: S308 - cards.reply_cards_html escapes every value
        cards.reply_cards_html(
            cards=thread.page.cards,
            start_index=page.start_index(),
            user_id=user.pk if user is not None and user.is_authenticated else None,
            can_moderate=access is not None and access.can_moderate,
            can_react=access is not None and access.can_post,
            mine=thread.mine,
            urls=_urls(context),
            reply_model=Reply,
        )
    )


@register.simple_tag(takes_context=True)
def reactions(context: template.Context, item: Story | Reply, is_reply: bool = False) -> SafeString:
    """The reaction form, opened: the answer to "React" (htmx, or inside the small page without
    JavaScript) and to a reaction sent with htmx."""
    access = context.get("access")
    name = "stories:reply_react" if is_reply else "stories:react"
    state = context["reaction_state"]
    return mark_safe(  # noqa: S308 - cards.reactions_html escapes every value
        cards.reactions_html(
            url=_urls(context).get(name, item.pk),
            dom_id=f"reactions-{'reply' if is_reply else 'story'}-{int(item.pk)}",
            counts=state.counts,
            mine=state.mine,
            can_react=access is not None and access.can_post and item.is_visible,
            csrf_token=escape(str(context.get("csrf_token", ""))),
            open_picker=True,
        )
    )
