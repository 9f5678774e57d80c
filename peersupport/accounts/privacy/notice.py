"""The privacy notice: administrators publish versions; members see the newest one."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from peersupport.markdown import render_markdown

from ..models import PrivacyNotice, User

CACHE_KEY = "accounts:privacy-notice-version"
CACHE_SECONDS = 300


def privacy_notice_current() -> PrivacyNotice | None:
    """The newest published version (None only before the first one exists)."""
    return (
        PrivacyNotice.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()
    )


def privacy_notice_current_version() -> int:
    """The newest version number, cached: every page asks it for the "notice changed" banner."""
    version = cache.get(CACHE_KEY)
    if version is None:
        version = (
            PrivacyNotice.objects.filter(published_at__lte=timezone.now()).aggregate(
                v=Max("version")
            )["v"]
            or 0
        )
        cache.set(CACHE_KEY, version, CACHE_SECONDS)
    return version


@transaction.atomic
def privacy_notice_publish(*, body: str, summary: str, published_by: User | None) -> PrivacyNotice:
    """Publish a new version (earlier ones are kept); every member sees a banner until they read it."""
    # Lock the newest row so two administrators publishing at once get distinct numbers
    # (the unique constraint on version is the backstop).
    latest = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    notice = PrivacyNotice.objects.create(
        version=(latest.version + 1) if latest else 1,
        body=body.strip(),
        body_html=render_markdown(body),
        summary=summary.strip(),
        published_by=published_by,
    )
    # One UPDATE on a rare administrator action, instead of a query on every page.
    User.objects.filter(privacy_notice_unseen=False).update(privacy_notice_unseen=True)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return notice


def privacy_notice_mark_seen(*, user: User) -> None:
    """The member has read (or dismissed) the newest notice: no more banner."""
    if user.privacy_notice_unseen:
        User.objects.filter(pk=user.pk).update(privacy_notice_unseen=False)
        user.privacy_notice_unseen = False
