"""Idempotent seeding of the crisis lines, shared by `seed_crisis_lines` and the demo."""

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .crisis_lines import CRISIS_LINES, VERIFIED_ON
from .models import Category, Resource
from .selectors import HELP_CACHE_KEY

CRISIS_CATEGORY = {
    "slug": "crisis-support",
    "name": "Crisis support",
    "description": "Free, confidential lines you can call, text or chat with right now.",
}


@transaction.atomic
def crisis_lines_seed(*, log: Callable[[str], None] = lambda _m: None) -> int:
    """Create or refresh the well-known crisis lines, published; returns how many were created."""
    category, _created = Category.objects.get_or_create(
        slug=CRISIS_CATEGORY["slug"],
        defaults={"name": CRISIS_CATEGORY["name"], "description": CRISIS_CATEGORY["description"]},
    )
    created = 0
    for line in CRISIS_LINES:
        resource, was_created = Resource.objects.update_or_create(
            slug=line.slug,
            defaults={
                "kind": Resource.Kind.CRISIS_LINE,
                "title": line.title,
                "summary": line.summary,
                "phone": line.phone,
                "sms": line.sms,
                "chat_url": line.chat_url,
                "url": line.url,
                "opening_hours": line.opening_hours,
                "countries": list(line.countries),
                "languages": list(line.languages),
                "source_note": line.source_note,
                "verified_on": VERIFIED_ON,
                "last_reviewed": VERIFIED_ON,
                "status": Resource.Status.PUBLISHED,
            },
        )
        if resource.published_at is None:
            resource.published_at = timezone.now()
            resource.save(update_fields=["published_at"])
        resource.categories.add(category)
        created += was_created
    transaction.on_commit(lambda: cache.delete(HELP_CACHE_KEY))
    log(f"Crisis lines ready: {len(CRISIS_LINES)} ({created} new).")
    return created
