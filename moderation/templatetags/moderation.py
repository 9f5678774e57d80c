"""`{% load moderation %}`: `{% report_url obj %}` (the report page for any registered content)
and `{% urgent_banner user as urgent %}` (the urgent banner on every page)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from moderation import registry, selectors

register = template.Library()


@register.simple_tag
def report_url(obj: object) -> str:
    """The URL of the report form for `obj`, or "" when its model is not moderated."""
    if obj is None or not registry.is_registered(type(obj)):
        return ""
    content_type = ContentType.objects.get_for_model(obj)  # cached after the first call
    return reverse(
        "moderation:report", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk}
    )


@register.filter
def lookup(mapping: dict, key: object) -> object:
    """`{{ contents|lookup:item.pk }}`: a value from a dict the view built (None if absent)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag
def urgent_banner(user: object) -> selectors.UrgentBanner | None:
    """`{% urgent_banner user as urgent %}`: unclaimed urgent cases in the groups `user`
    facilitates (None: no banner at all, they facilitate nothing)."""
    return selectors.urgent_banner_for(user)


@register.filter
def about_duration(value: object) -> str:
    """`{{ wait.typical|about_duration }}`: "about 20 minutes", "about 3 hours", "about 2 days"."""
    import math
    from datetime import timedelta

    from django.utils.translation import ngettext

    if not isinstance(value, timedelta):
        return ""
    minutes = value.total_seconds() / 60
    if minutes < 55:
        n = max(5, math.ceil(minutes / 5) * 5)
        return ngettext("about %(n)d minute", "about %(n)d minutes", n) % {"n": n}
    hours = minutes / 60
    if hours < 23.5:
        n = max(1, round(hours))
        return ngettext("about %(n)d hour", "about %(n)d hours", n) % {"n": n}
    n = max(1, round(hours / 24))
    return ngettext("about %(n)d day", "about %(n)d days", n) % {"n": n}
