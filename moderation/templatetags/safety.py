"""`{% load safety %}{% support_after_post %}`: the support panel after posting crisis language."""

from django import template
from django.template.loader import render_to_string

from groups.models import Group
from groups.permissions import access_for
from moderation import safety

register = template.Library()


@register.simple_tag(takes_context=True)
def support_after_post(context: template.Context) -> str:
    """Render the panel once, like a message: the view set the flag when the post was saved."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ""
    slug = request.session.pop(safety.SESSION_KEY, None)
    severity = request.session.pop(safety.SESSION_SEVERITY_KEY, None)
    if not slug:
        return ""
    group = Group.objects.filter(slug=slug).first()
    if group is not None and not access_for(request.user, group).can_read:
        group = None
    return render_to_string(
        "moderation/_support_panel.html",
        safety.support_panel_context(request, group, in_form=False, severity=severity),
        request=request,
    )
