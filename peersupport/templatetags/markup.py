"""`{{ text|markdown }}`: Markdown through the project's one pipeline (peersupport/markdown.py:
raw HTML off, then nh3), for text stored without its HTML — case excerpts, redaction
originals. Truncated excerpts are fine: the sanitiser closes whatever was left open."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from peersupport.markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text: str | None) -> SafeString:
    return mark_safe(render_markdown(str(text or "")))  # noqa: S308 - nh3-sanitised above
