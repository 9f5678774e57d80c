"""The "tell me about new stories in this group" toggle, shown on a group's page."""

from django import template

from peersupport.notifications import services

register = template.Library()


@register.inclusion_tag("notifications/_group_follow.html", takes_context=True)
def group_follow_control(context: template.Context, group) -> dict:
    """Whether the signed-in reader follows `group`'s new stories, for the toggle form."""
    user = context["request"].user
    return {
        "group": group,
        "followed": services.group_is_followed(user=user, group=group),
        "csrf_token": context.get("csrf_token"),
    }
