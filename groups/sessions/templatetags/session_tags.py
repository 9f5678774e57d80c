"""`{% load session_tags %}{% group_upcoming_sessions group access %}` on the group's home."""

from django import template

from groups.permissions import Access

from .. import selectors

register = template.Library()


@register.inclusion_tag("group_sessions/_group_upcoming.html", takes_context=True)
def group_upcoming_sessions(context: template.Context, group, access: Access) -> dict:
    """The next three sessions, for those who may read the group (others see nothing)."""
    if access is None or not access.can_read:
        return {"occurrences": None, "group": group, "hidden": True}
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "group": group,
        "occurrences": selectors.occurrence_list_for_group(group=group, user=user, limit=3),
        "request": request,
    }
