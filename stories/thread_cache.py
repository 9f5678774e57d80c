"""The story page's replies, cached per thread version and viewer class, in one round trip.

What is cached, under keys that carry `Story.version` (bumped in the same transaction by every
write that changes what a thread shows, see `thread_changed`):

- one page of reply cards per (story, version, page, viewer class, language): the replies that
  class may see, each with its byline for that class, its body, state and reaction counts, plus
  the story's own reaction counts and the page's numbers;
- the viewer's own reactions in the thread per (story, version, user);
- the viewer's content-warning choices per user (cleared by `warning_preferences_set`);
- the library resources on the story's content-warning themes (5 minutes).

All four come back from one `cache.get_many` (Redis in production, local memory under
`make run`). The viewer class is "mod" (facilitators of the group, administrators: they see
held and hidden replies and who wrote anonymous ones) or "member" (everyone else: only visible
replies, anonymous authors hidden). A member whose own held or hidden reply is in the thread
gets the page built for them and not stored. Keys live `THREAD_CACHE_SECONDS`, so a display
name changed on the profile page shows on old threads within that time.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import get_language

from groups.permissions import Access, AnyUser
from peersupport.avatars import avatar_html
from resources.selectors import related_for_themes

from .cards import byline_html
from .models import ModerationState, Reaction, Reply, Story, WarningPreference

THREAD_CACHE_SECONDS = 600
# Library resources change rarely and only by administrators; a page may show a resource
# unpublished in the last few minutes.
RELATED_CACHE_SECONDS = 300
REPLIES_PER_PAGE = 50
REPLY_FIELDS = (
    "pk",
    "story_id",
    "author_id",
    "author__display_name",
    "body_html",
    "is_anonymous",
    "moderation_state",
    "is_deleted",
    "created_at",
    "edited_at",
)


class _Named(NamedTuple):
    display_name: str


class ReplyCard(NamedTuple):
    pk: int
    author_id: int | None
    is_anonymous: bool
    state: str
    is_deleted: bool
    edited: bool
    created_at: object
    byline: str  # safe HTML for the viewer class
    body_html: str  # sanitised on save
    counts: tuple[tuple[str, int], ...]


class ThreadPage(NamedTuple):
    number: int
    num_pages: int
    count: int
    story_counts: tuple[tuple[str, int], ...]
    cards: tuple[ReplyCard, ...]


class PageInfo:
    """What `stories/_pagination.html` reads of a Django Page."""

    def __init__(
        self, number: int, num_pages: int, object_list: list | None = None, per_page: int = 0
    ) -> None:
        self.number, self.num_pages = number, num_pages
        self.object_list = object_list if object_list is not None else []
        self.per_page = per_page or REPLIES_PER_PAGE
        self.paginator = self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1


def thread_changed(story_id: int) -> None:
    """Bump the thread's version inside the current write: its cached cards are no longer used."""
    Story.objects.filter(pk=story_id).update(version=F("version") + 1)


def warning_prefs_key(user_id: int) -> str:
    return f"stories:wprefs:{user_id}"


def warning_prefs_forget(user_id: int) -> None:
    """After a member changes their content-warning choices (after commit)."""
    transaction.on_commit(lambda: _cache_delete(warning_prefs_key(user_id)))


def viewer_class(access: Access) -> str:
    return "mod" if access.can_moderate else "member"


def _page_param(value: object) -> str:
    if value == "last":
        return "last"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "1"
    return str(number) if number >= 1 else "1"


def _cache_get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page
        return {}


def _cache_set_many(values: dict) -> None:
    _cache_set_many_for(values, THREAD_CACHE_SECONDS)


def _cache_set_many_for(values: dict, seconds: int) -> None:
    try:
        cache.set_many(values, seconds)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page
        pass


def _cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001 - keys are versioned or short-lived; a miss is harmless
        pass


def _build_page(
    *, story: Story, klass: str, page_param: str, own_user_id: int | None
) -> ThreadPage:
    """Read one page of replies and their reaction counts from the database."""
    qs = Reply.objects.filter(story=story)
    if klass != "mod":
        visible = Q(moderation_state=ModerationState.VISIBLE)
        qs = qs.filter(visible | Q(author_id=own_user_id) if own_user_id else visible)
    qs = qs.values_list(*REPLY_FIELDS).order_by("created_at", "pk")
    page = Paginator(qs, REPLIES_PER_PAGE).get_page(page_param)
    rows = list(page.object_list)
    ids = [r[0] for r in rows]
    counts: dict[int | None, dict[str, int]] = {}
    q = Q(story=story)
    if ids:
        q |= Q(reply_id__in=ids)
    for reply_id, kind, n in (
        Reaction.objects.filter(q)
        .values("reply_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("reply_id", "kind", "n")
    ):
        counts.setdefault(reply_id, {})[kind] = n
    reveal = klass == "mod"
    cards = tuple(
        ReplyCard(
            pk=pk,
            author_id=author_id,
            is_anonymous=is_anonymous,
            state=state,
            is_deleted=is_deleted,
            edited=edited_at is not None,
            created_at=created_at,
            byline=avatar_html(
                _Named(name) if author_id is not None else None,
                anonymous=is_anonymous,
                size="sm",
            )
            + byline_html(
                is_anonymous=is_anonymous,
                author_name=name if author_id is not None else None,
                reveal=reveal,
            ),
            body_html="" if is_deleted else body_html,
            counts=tuple(sorted(counts.get(pk, {}).items())),
        )
        for (
            pk,
            _story_id,
            author_id,
            name,
            body_html,
            is_anonymous,
            state,
            is_deleted,
            created_at,
            edited_at,
        ) in rows
    )
    return ThreadPage(
        number=page.number,
        num_pages=page.paginator.num_pages,
        count=page.paginator.count,
        story_counts=tuple(sorted(counts.get(None, {}).items())),
        cards=cards,
    )


class ThreadView(NamedTuple):
    page: ThreadPage
    mine: dict[int | None, set[str]]  # reply pk (None: the story) -> kinds
    warning_prefs: dict[str, str]
    related: list  # library resources on the story's content-warning themes


def thread_for_viewer(
    *, story: Story, user: AnyUser, access: Access, page_number: object = 1
) -> ThreadView:
    """One page of the thread for this viewer, from the cache where it can be (one round trip).

    `story` comes from `selectors.story_page_for_viewer` (it carries `own_unpublished`).
    """
    klass = viewer_class(access)
    page_param = _page_param(page_number)
    signed_in = user is not None and user.is_authenticated
    own_unpublished = bool(getattr(story, "own_unpublished", False)) and klass != "mod"
    lang = get_language() or ""
    page_key = f"stories:thread:{story.pk}:{story.version}:{klass}:{lang}:{page_param}"
    mine_key = f"stories:mine:{story.pk}:{story.version}:{user.pk}" if signed_in else None
    prefs_key = warning_prefs_key(user.pk) if signed_in else None
    themes = story.warning_list
    related_key = f"stories:related:{lang}:{','.join(themes)}" if themes else None
    keys = [
        k for k in (None if own_unpublished else page_key, mine_key, prefs_key, related_key) if k
    ]
    use_cache = getattr(settings, "STORIES_THREAD_CACHE", True)  # off: `make bench-stories`'s lever
    found = _cache_get_many(keys) if use_cache else {}
    to_store: dict = {}

    page = found.get(page_key) if not own_unpublished else None
    if page is None:
        page = _build_page(
            story=story,
            klass=klass,
            page_param=page_param,
            own_user_id=user.pk if own_unpublished else None,
        )
        if not own_unpublished:
            to_store[page_key] = page

    mine_rows = found.get(mine_key) if mine_key else ()
    if mine_key and mine_key not in found:
        mine_rows = tuple(
            Reaction.objects.filter(user=user)
            .filter(Q(story=story) | Q(reply__story=story))
            .values_list("reply_id", "kind")
        )
        to_store[mine_key] = mine_rows
    mine: dict[int | None, set[str]] = {}
    for reply_id, kind in mine_rows or ():
        mine.setdefault(reply_id, set()).add(kind)

    prefs: dict[str, str] = {}
    if prefs_key:
        if prefs_key in found:
            prefs = found[prefs_key]
        else:
            prefs = dict(WarningPreference.objects.filter(user=user).values_list("theme", "choice"))
            to_store[prefs_key] = prefs

    related: list = []
    if related_key:
        if related_key in found:
            related = found[related_key]
        else:
            related = related_for_themes(themes, [])
            if use_cache:
                _cache_set_many_for({related_key: related}, RELATED_CACHE_SECONDS)

    if to_store and use_cache:
        _cache_set_many(to_store)
    return ThreadView(page=page, mine=mine, warning_prefs=prefs, related=related)
