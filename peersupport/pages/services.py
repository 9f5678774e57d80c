"""Every write of the trust pages: an administrator's page text, a contact-form message."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.accounts.models import User
from peersupport.markdown import render_markdown
from peersupport.notifications.models import Kind
from peersupport.notifications.services import notify_site_admins

from .models import ContactMessage, SitePage

logger = logging.getLogger(__name__)

# A person (signed in: counted in the database; a visitor: per address, in the cache) may send
# this many messages in this many seconds. Enough for a follow-up, too few to flood anyone.
CONTACT_RATE_COUNT = 3
CONTACT_RATE_SECONDS = 60 * 60


class ContactRateLimited(Exception):
    """Too many messages in a short time; the message is kind and may be shown."""


@transaction.atomic
def site_page_save(*, by: User | None, page: SitePage) -> SitePage:
    """Save an administrator's text for a trust page, with its Markdown rendered to safe HTML."""
    page.body = page.body.strip()
    page.body_html = render_markdown(page.body)
    page.updated_at = timezone.now()
    page.updated_by = by if by is not None and by.is_authenticated else None
    page.full_clean()
    page.save()
    return page


def _visitor_count(client_address: str) -> int:
    """Messages from this address in the window, this one included (the address is hashed and
    kept only in the cache, for the window)."""
    digest = hashlib.sha256(client_address.encode()).hexdigest()[:32]
    key = f"pages:contact:{digest}"
    try:
        cache.add(key, 0, timeout=CONTACT_RATE_SECONDS)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=CONTACT_RATE_SECONDS)
            return 1
    except Exception:  # noqa: BLE001 - a cache outage must not stop people reaching us
        logger.warning("contact rate counter unavailable; the message is let through")
        return 1


def _too_many() -> ContactRateLimited:
    return ContactRateLimited(
        _(
            "Thank you for writing. You've sent a few messages in a short time, so please wait "
            "an hour before sending another. We read every one. If you need help now, the "
            "Get help now page lists people you can talk to straight away."
        )
    )


@transaction.atomic
def contact_message_send(
    *, sender: User | None, reply_to: str, topic: str, message: str, client_address: str = ""
) -> ContactMessage:
    """Keep a message for the administrators and tell them in the app (and by the e-mail
    they chose); refused with ContactRateLimited when one person sends too many."""
    signed_in = sender is not None and sender.is_authenticated
    if signed_in:
        # The row lock makes two quick sends from one account count one after the other.
        User.objects.select_for_update().filter(pk=sender.pk).first()
        since = timezone.now() - timedelta(seconds=CONTACT_RATE_SECONDS)
        sent = ContactMessage.objects.filter(sender=sender, created_at__gt=since).count()
        if sent >= CONTACT_RATE_COUNT:
            raise _too_many()
    elif _visitor_count(client_address or "unknown") > CONTACT_RATE_COUNT:
        raise _too_many()
    item = ContactMessage(
        sender=sender if signed_in else None,
        reply_to=reply_to.strip(),
        topic=topic,
        message=message.strip(),
    )
    item.full_clean()
    item.save()
    # Never the message itself in the notification: it may reach an e-mail or a lock screen.
    notify_site_admins(
        kind=Kind.CONTACT_MESSAGE,
        url=reverse("admin:pages_contactmessage_change", args=[item.pk]),
        text=_("A new message from the contact form: %(topic)s")
        % {"topic": item.get_topic_display()},
        target=item,
    )
    return item


@transaction.atomic
def contact_message_set_handled(*, message: ContactMessage, handled: bool) -> ContactMessage:
    """An administrator marks a message answered (or not yet); the first time is kept."""
    locked = ContactMessage.objects.select_for_update().get(pk=message.pk)
    if handled and locked.handled_at is None:
        locked.handled_at = timezone.now()
    elif not handled:
        locked.handled_at = None
    locked.save(update_fields=["handled_at"])
    return locked
