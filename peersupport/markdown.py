"""Markdown for everything members and staff write: markdown-it-py with raw HTML off, then nh3.

The rendered HTML is stored next to the text, so pages never do Markdown work.
"""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "strikethrough"
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _demote_headings(html: str) -> str:
    # Page structure owns h1/h2; a member's "# Title" becomes an h3 so headings stay in order.
    for level, new in (("h1", "h3"), ("h2", "h4")):
        html = html.replace(f"<{level}>", f"<{new}>").replace(f"</{level}>", f"</{new}>")
    return html


def render_markdown(text: str) -> str:
    """Markdown to safe HTML: no raw HTML, links limited to http/https/mailto with rel set."""
    html = _demote_headings(_md.render(text or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
