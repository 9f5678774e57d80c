"""`{% load avatars %}{% avatar user %}`: a deterministic avatar per pseudonym.

{% avatar user %}                          initials on the pseudonym's colour
{% avatar story.author anonymous=story.is_anonymous size="sm" %}
{% avatar None %}                          the neutral avatar (a former member)
"""

from django import template
from django.utils.safestring import SafeString

from peersupport.avatars import avatar_html

register = template.Library()


@register.simple_tag
def avatar(user: object, anonymous: bool = False, size: str = "md") -> SafeString:
    """Decorative (aria-hidden): always write the name beside it."""
    return avatar_html(user, anonymous=bool(anonymous), size=size)  # type: ignore[arg-type]
