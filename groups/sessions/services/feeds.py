"""The member's private calendar feed address: create, replace (revoke the old), remove."""

from django.db import transaction

from peersupport.accounts.models import User

from ..models import CalendarFeed, new_feed_token


@transaction.atomic
def calendar_feed_replace(*, user: User) -> CalendarFeed:
    """A new secret address; the old one (if any) stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_update(*, user: User, name_private_groups: bool) -> CalendarFeed:
    """Whether the feed may name unlisted groups and their sessions (off unless chosen)."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.name_private_groups = name_private_groups
    feed.save(update_fields=["name_private_groups"])
    return feed


@transaction.atomic
def calendar_feed_delete(*, user: User) -> bool:
    """Turn the feed off: the address stops working."""
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
