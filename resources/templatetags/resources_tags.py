"""Template tags other apps' pages use to show resources without importing the resources app."""

from django import template

from groups.models import Group
from groups.permissions import Access
from resources.selectors import featured_for_group

register = template.Library()


@register.inclusion_tag("resources/_group_featured.html")
def group_featured_resources(group: Group, access: Access) -> dict:
    """The resources a group's facilitators chose, and the way to the group's resources page.

    One query, however many are featured. Shown only to those who may read the group.
    """
    featured = featured_for_group(group.pk) if access.can_read else []
    return {"group": group, "access": access, "featured": featured}
