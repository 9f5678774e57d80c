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
    """Publish a new version (earlier ones are kept); members see a banner until they read it."""
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
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return notice


def privacy_notice_mark_seen(*, user: User, version: int | None = None) -> None:
    """Record that the member has seen the notice up to `version` (default: the newest)."""
    version = privacy_notice_current_version() if version is None else version
    if user.privacy_notice_seen_version >= version:
        return
    User.objects.filter(pk=user.pk, privacy_notice_seen_version__lt=version).update(
        privacy_notice_seen_version=version
    )
    user.privacy_notice_seen_version = version


def privacy_notice_is_unseen(user: User) -> bool:
    """A newer notice than the member has seen exists (visitors: never)."""
    if not user.is_authenticated:
        return False
    return user.privacy_notice_seen_version < privacy_notice_current_version()
