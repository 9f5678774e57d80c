"""Following a group's new stories."""

from __future__ import annotations

from django.db import transaction

from ..models import GroupFollow


def group_is_followed(*, user, group) -> bool:
    """Whether the member asked to hear about new stories in `group`."""
    if not user.is_authenticated:
        return False
    return GroupFollow.objects.filter(user=user, group=group).exists()


@transaction.atomic
def group_follow_set(*, user, group, follow: bool) -> bool:
    """Turn "tell me about new stories in this group" on or off; idempotent. Returns the new state."""
    from groups.permissions import check_read_group

    check_read_group(user, group)
    if follow:
        GroupFollow.objects.get_or_create(user=user, group=group)
    else:
        GroupFollow.objects.filter(user=user, group=group).delete()
    return follow


def group_followers(*, group) -> list:
    """Members who follow `group`'s new stories and may still read it."""
    from groups.permissions import access_for

    follows = GroupFollow.objects.filter(group=group, user__is_active=True).select_related("user")
    return [f.user for f in follows if access_for(f.user, group).can_read]
