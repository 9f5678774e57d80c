"""Reads for the chat room page, the catch-up API and the consumer's replay."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from groups.models import Group
from peersupport.avatars import avatar_colour_index, avatar_initials

from .models import ChatMessage, ChatPresence, ChatRoomSettings

PAGE_SIZE = 50
URL_RE = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def replay_limit() -> int:
    return int(getattr(settings, "CHAT_REPLAY_LIMIT", 200))


def body_html(text: str) -> SafeString:
    """Escape a plain-text message and make http(s) links clickable; nothing else becomes HTML."""
    out: list[str] = []
    pos = 0
    for match in URL_RE.finditer(text):
        url = match.group(0)
        trail = ""
        while url and url[-1] in TRAILING_PUNCTUATION:
            trail = url[-1] + trail
            url = url[:-1]
        out.append(escape(text[pos : match.start()]))
        out.append(
            f'<a href="{escape(url)}" rel="nofollow noopener noreferrer ugc">{escape(url)}</a>{escape(trail)}'
        )
        pos = match.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def _base() -> QuerySet[ChatMessage]:
    return ChatMessage.objects.select_related("author").only(
        "seq",
        "group_id",
        "client_id",
        "body",
        "created_at",
        "deleted_at",
        "moderation_state",
        "author__id",
        "author__display_name",
    )


def placeholder(message: ChatMessage) -> str:
    """What the room sees instead of a message it may not read."""
    if message.moderation_state == ChatMessage.State.HELD and message.deleted_at is None:
        return _("This message is waiting for a facilitator.")
    return _("Removed by a facilitator.")


def message_payload(message: ChatMessage) -> dict:
    """The JSON a client gets for one message; a removed message carries no text."""
    if not message.is_shown:
        return {
            "id": message.seq,
            "deleted": True,
            "author": "",
            "author_id": None,
            # A held message still answers its sender's "sending…"; a removed one says nothing.
            "client_id": message.client_id
            if message.moderation_state == ChatMessage.State.HELD
            else "",
            "html": escape(placeholder(message)),
            "created_at": message.created_at.isoformat(),
        }
    return {
        "id": message.seq,
        "pk": message.pk,
        "deleted": False,
        "author": message.author.display_name,
        "author_id": message.author_id,
        # The same avatar the page draws (peersupport.avatars), so live messages match it.
        "avatar": {
            "initials": avatar_initials(message.author.display_name),
            "colour": avatar_colour_index(message.author.display_name),
        },
        "client_id": message.client_id,
        "html": str(body_html(message.body)),
        "created_at": message.created_at.isoformat(),
    }


def chat_messages_for_room(
    group: Group, *, before: int | None = None, limit: int = PAGE_SIZE
) -> list[ChatMessage]:
    """The latest `limit` messages (or those before seq `before`), oldest first, with html."""
    qs = _base().filter(group=group)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    messages = list(qs.order_by("-seq")[:limit])
    messages.reverse()
    for message in messages:
        message.html = body_html(message.body) if message.is_shown else ""
        message.placeholder = "" if message.is_shown else placeholder(message)
    mark_days_and_runs(messages)
    return messages


# Messages by one author this close together read as one turn: the name and avatar show once.
RUN_GAP = timedelta(minutes=5)


def day_label(day: date, today: date) -> str:
    """ "Today", "Yesterday" or the date, for the separator above a day's first message."""
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return date_format(day, "l j F Y")


def mark_days_and_runs(messages: list[ChatMessage]) -> None:
    """Set `day_label` on each day's first message (in the reader's time zone) and `continued`
    on a shown message that follows one by the same author within RUN_GAP on the same day."""
    today = timezone.localdate()
    previous = None
    for message in messages:
        local = timezone.localtime(message.created_at)
        new_day = previous is None or local.date() != timezone.localtime(previous.created_at).date()
        message.day = local.date()
        message.day_label = day_label(local.date(), today) if new_day else ""
        message.continued = bool(
            not new_day
            and message.is_shown
            and previous.is_shown
            and previous.author_id == message.author_id
            and message.created_at - previous.created_at <= RUN_GAP
        )
        previous = message


def chat_messages_after(
    group_id: int, after: int, *, limit: int, upto: int | None = None
) -> list[ChatMessage]:
    """Messages after seq `after` (and up to `upto`), oldest first, at most `limit`."""
    qs = _base().filter(group_id=group_id, seq__gt=after)
    if upto is not None:
        qs = qs.filter(seq__lte=upto)
    return list(qs.order_by("seq")[:limit])


def chat_room_settings(group: Group) -> ChatRoomSettings:
    """The room's settings, unsaved defaults if the room has never been used."""
    return ChatRoomSettings.objects.filter(pk=group.pk).first() or ChatRoomSettings(group=group)


def presence_payload(group_id: int) -> dict:
    """How many people are here now, and the names of those who chose to be shown."""
    rows = list(
        ChatPresence.objects.filter(group_id=group_id).values_list(
            "user_id", "show_name", "user__display_name"
        )
    )
    count = len({user_id for user_id, _show, _name in rows})
    names = sorted({name for _uid, show, name in rows if show})
    return {"count": count, "names": names}


def chat_facilitator_here(group_id: int) -> bool:
    """Whether someone who may moderate the room is connected to it now."""
    return ChatPresence.objects.filter(group_id=group_id, is_moderator=True).exists()


def chat_messages_mark_cases(messages: list[ChatMessage]) -> None:
    """For facilitators: put the case about each message (if any) on it as `flag_case`, so
    the message that opened a case carries a marker and a link to it. One query."""
    from moderation.selectors import cases_for_items

    cases = cases_for_items(ChatMessage, [m.pk for m in messages])
    for message in messages:
        message.flag_case = cases.get(message.pk)
