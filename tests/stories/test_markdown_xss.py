"""Hostile Markdown in stories and replies is rendered inert: a payload corpus and generated text."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersupport.markdown import ALLOWED_TAGS, render_markdown
from stories import services
from tests.factories import MembershipFactory

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]
FORBIDDEN_SUBSTRINGS = (
    "<script",
    "<svg",
    "<iframe",
    "<style",
    "<img",
    "<object",
    "<embed",
    "<math",
)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))


def assert_inert(output: str) -> None:
    lowered = output.lower()
    for bad in FORBIDDEN_SUBSTRINGS:
        assert bad not in lowered, f"{bad!r} survived in {output!r}"
    collector = _Collector()
    collector.feed(output)
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived in {output!r}"
        for name, value in attrs:
            assert not name.lower().startswith("on"), (
                f"event attribute {name} survived in {output!r}"
            )
            assert name in ("href", "title", "rel", "start"), (
                f"attribute {name} survived in {output!r}"
            )
            if name == "href":
                # Browsers ignore control characters and whitespace inside a scheme.
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
                assert not url.startswith(BAD_SCHEMES), f"dangerous link {value!r} in {output!r}"
                assert ":" not in url.split("/")[0] or url.startswith(
                    ("http:", "https:", "mailto:")
                ), value


def test_corpus_has_at_least_a_hundred_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_rendered_inert(payload):
    assert_inert(render_markdown(payload))


def test_whole_corpus_as_one_document_is_rendered_inert():
    # Reference-style links and multi-line blocks need their neighbours to take effect.
    assert_inert(render_markdown("\n".join(PAYLOADS)))
    assert_inert(render_markdown("\n\n".join(PAYLOADS)))


def test_safe_links_keep_the_nofollow_rel():
    output = render_markdown("[a charity](https://example.org/help)")
    assert 'href="https://example.org/help"' in output
    assert 'rel="nofollow ugc noopener"' in output


@pytest.mark.django_db
def test_story_submit_stores_inert_html_for_every_payload(group):
    author = MembershipFactory(group=group).user
    story = services.story_submit(
        group=group,
        author=author,
        title="<script>alert(1)</script>",
        body="\n\n".join(PAYLOADS)[:20_000],
    )
    assert_inert(story.body_html)


_pieces = st.sampled_from(
    [
        "<",
        ">",
        "/",
        '"',
        "'",
        "=",
        "(",
        ")",
        "[",
        "]",
        "`",
        "!",
        "*",
        "_",
        "#",
        "\n",
        " ",
        ":",
        "&",
        ";",
        "#x",
        "script",
        "svg",
        "img",
        "iframe",
        "style",
        "onerror",
        "onload",
        "javascript",
        "data",
        "vbscript",
        "alert(1)",
        "http://example.org",
        "&#106;",
        "\t",
        "\x00",
        "]: ",
        "> ",
        "- ",
        "```",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=60).map("".join))
def test_generated_markdown_is_rendered_inert(text):
    assert_inert(render_markdown(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_is_rendered_inert(text):
    assert_inert(render_markdown(text))


@pytest.mark.parametrize(
    "live",
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="x()">x</p>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<img src="x">',
    ],
)
def test_the_checker_itself_catches_live_html(live):
    with pytest.raises(AssertionError):
        assert_inert(live)
