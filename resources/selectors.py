"""Reads for the library, staff pages, the help page, group features and related resources."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from .countries import EMERGENCY_NUMBERS, country_name, emergency_numbers
from .crisis_lines import CRISIS_LINES, VERIFIED_ON
from .models import Category, GroupFeature, Resource, Suggestion, Tag

logger = logging.getLogger(__name__)

# Crisis lines for the help page; services forget it after any change to the library.
HELP_CACHE_KEY = "resources:help-lines:v1"
HELP_CACHE_SECONDS = 600
REVIEW_AFTER = datetime.timedelta(days=365)


def _with_relations(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.select_related("author", "reviewer").prefetch_related("categories", "tags")


def _published() -> QuerySet[Resource]:
    return Resource.objects.filter(status=Resource.Status.PUBLISHED)


def _search(qs: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    # Same approach as stories: PostgreSQL full-text search with ranking; a plain
    # case-insensitive match on SQLite, which has no full-text search built in.
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            qs.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "title")
        )
    return qs.filter(
        Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
    )


def resource_list_for_library(
    *,
    query: str = "",
    category: Category | None = None,
    tag: Tag | None = None,
    crisis_lines: bool | None = None,
) -> QuerySet[Resource]:
    """Published resources, optionally searched or narrowed to one category or tag.

    `crisis_lines=True` gives only crisis lines, `False` everything else: the library shows
    crisis lines apart from articles, so someone looking for help finds them first.
    """
    qs = _published()
    if crisis_lines is not None:
        crisis = Q(kind=Resource.Kind.CRISIS_LINE)
        qs = qs.filter(crisis) if crisis_lines else qs.exclude(crisis)
    if category is not None:
        qs = qs.filter(categories=category)
    if tag is not None:
        qs = qs.filter(tags=tag)
    if query:
        qs = _search(qs, query)
    return _with_relations(qs)


def category_list(*, include_empty: bool = True) -> QuerySet[Category]:
    """Categories with their number of published resources; without the empty ones unless
    `include_empty` (curators see every category, readers only those with something in)."""
    qs = Category.objects.annotate(
        published_count=Count("resources", filter=Q(resources__status=Resource.Status.PUBLISHED))
    )
    return qs if include_empty else qs.filter(published_count__gt=0)


def category_get(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tag_get(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def resource_get_published(slug: str) -> Resource | None:
    """A published resource by its web address; drafts and archived items are not found."""
    return _with_relations(_published().filter(slug=slug)).first()


def resource_get_for_staff(pk: int) -> Resource | None:
    return _with_relations(Resource.objects.filter(pk=pk)).first()


def resource_list_for_staff(*, status: str = "") -> QuerySet[Resource]:
    """Every resource for the curation dashboard, newest changes first."""
    qs = Resource.objects.all()
    if status:
        qs = qs.filter(status=status)
    return _with_relations(qs).order_by("-updated_at", "title")


def resources_due_for_review(*, today: datetime.date | None = None) -> QuerySet[Resource]:
    """Published resources not reviewed for twelve months (or never)."""
    today = today or timezone.localdate()
    cutoff = today - REVIEW_AFTER
    return (
        _published()
        .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lte=cutoff))
        .select_related("reviewer")
        .order_by("last_reviewed", "title")
    )


def suggestion_queue() -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related(
        "suggested_by"
    )


def suggestion_get_pending(pk: int) -> Suggestion | None:
    return Suggestion.objects.filter(pk=pk).first()


# --- groups and stories use these -----------------------------------------------------------
def featured_for_group(group_id: int) -> list[GroupFeature]:
    """The published resources a group's facilitators featured, in their chosen order."""
    return list(
        GroupFeature.objects.filter(group_id=group_id, resource__status=Resource.Status.PUBLISHED)
        .select_related("resource")
        .order_by("position", "created_at")
    )


def related_for_themes(themes: list[str], tags: list[str], *, limit: int = 5) -> list[Resource]:
    """Published resources sharing a tag with a story's content-warning themes or tags."""
    slugs = {slugify(t) for t in [*themes, *tags] if t}
    slugs.discard("")
    if not slugs:
        return []
    return list(
        _published()
        .filter(tags__slug__in=slugs)
        .annotate(matches=Count("tags", filter=Q(tags__slug__in=slugs), distinct=True))
        .order_by("-matches", "title")[:limit]
    )


# --- Get help now ---------------------------------------------------------------------------
@dataclass(frozen=True)
class HelpLine:
    title: str
    summary: str
    phone: str
    sms: str
    tel_href: str
    sms_href: str
    chat_url: str
    url: str
    opening_hours: str
    countries: tuple[str, ...]
    verified_on: datetime.date | None


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit() or c == "+")


def _help_line(r: Resource | object) -> HelpLine:
    phone, sms = getattr(r, "phone", ""), getattr(r, "sms", "")
    return HelpLine(
        title=r.title,
        summary=r.summary,
        phone=phone,
        sms=sms,
        tel_href=f"tel:{_digits(phone)}" if phone else "",
        sms_href=f"sms:{_digits(sms)}" if sms else "",
        chat_url=getattr(r, "chat_url", ""),
        url=getattr(r, "url", ""),
        opening_hours=getattr(r, "opening_hours", ""),
        countries=tuple(r.countries),
        verified_on=getattr(r, "verified_on", VERIFIED_ON),
    )


def help_lines_all() -> list[HelpLine]:
    """Every published crisis line, cached; the built-in list if the library has none yet."""
    # The Get help now page must never fail: with the cache (Redis) down, read the database.
    try:
        lines = cache.get(HELP_CACHE_KEY)
    except Exception:  # noqa: BLE001
        logger.warning("help lines cache unavailable; reading the database", exc_info=True)
        lines, cache_ok = None, False
    else:
        cache_ok = True
    if lines is None:
        rows = _published().filter(kind=Resource.Kind.CRISIS_LINE).order_by("title")
        lines = [_help_line(r) for r in rows] or [_help_line(line) for line in CRISIS_LINES]
        if cache_ok:
            try:
                cache.set(HELP_CACHE_KEY, lines, HELP_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("help lines not cached", exc_info=True)
    return lines


@dataclass(frozen=True)
class HelpPage:
    country: str
    country_label: str
    emergency: tuple[str, ...]
    national: list[HelpLine]
    international: list[HelpLine]
    choices: list[tuple[str, str]]


def help_page_for_country(country: str) -> HelpPage:
    """The lines for one country (or all national lines when it is unknown) plus worldwide ones."""
    lines = help_lines_all()
    international = [line for line in lines if not line.countries]
    if country:
        national = [line for line in lines if country in line.countries]
    else:
        national = [line for line in lines if line.countries]
    codes = {c for line in lines for c in line.countries} | set(EMERGENCY_NUMBERS)
    choices = sorted(((c, country_name(c)) for c in codes), key=lambda pair: pair[1])
    return HelpPage(
        country=country,
        country_label=country_name(country) if country else "",
        emergency=emergency_numbers(country),
        national=national,
        international=international,
        choices=choices,
    )
