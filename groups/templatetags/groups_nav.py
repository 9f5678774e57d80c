"""Navigation entries and actions that depend on who is looking, decided by groups.permissions."""

from django import template

from groups import permissions

register = template.Library()


@register.simple_tag
def show_staff_nav(user: permissions.AnyUser) -> bool:
    """Whether to show the Staff link: administrators only."""
    return permissions.is_site_admin(user)


@register.simple_tag
def show_moderation_nav(user: permissions.AnyUser) -> bool:
    """Whether to show the Moderation link: administrators and facilitators of any group."""
    return permissions.is_moderator_anywhere(user)


@register.filter
def can_edit(access: permissions.Access | None, post: permissions.Authored) -> bool:
    """`{% if access|can_edit:story %}`: the Edit and Remove links, for the author only."""
    return access is not None and access.can_edit_post(post)
