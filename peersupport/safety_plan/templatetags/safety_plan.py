"""`{% load safety_plan %}{% safety_plan_help_link %}`: "Your safety plan" on the Get help now page."""

from django import template
from django.template.loader import render_to_string

from ..selectors import safety_plan_exists_for

register = template.Library()


@register.simple_tag(takes_context=True)
def safety_plan_help_link(context: template.Context) -> str:
    """For a signed-in member: their plan first when they have one, else a gentle invitation."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string(
        "safety_plan/_help_link.html",
        {"has_plan": safety_plan_exists_for(owner=user)},
        request=request,
    )
