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
