"""iCalendar (RFC 5545) text for one session and for a member's feed, written by hand.

Small enough not to need a library at run time; the tests parse it with `icalendar`.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Group

from .models import SessionOccurrence

PRODID = "-//Peer Support//Scheduled sessions//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (CRLF + space), never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _event(occurrence: SessionOccurrence, *, named: bool, now: datetime) -> list[str]:
    session = occurrence.session
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "peersupport"
    lines = [
        "BEGIN:VEVENT",
        f"UID:session-{occurrence.pk}@{host}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(occurrence.start)}",
        f"DTEND:{_stamp(occurrence.effective_end)}",
    ]
    if named:
        lines += [
            f"SUMMARY:{_escape(session.title)}",
            f"DESCRIPTION:{_escape(session.description)}" if session.description else "",
            f"LOCATION:{_escape(occurrence.group.name)}",
            f"URL:{_absolute(occurrence.get_absolute_url())}",
        ]
    else:
        # An unlisted group the member did not choose to name: nothing that says what it is.
        lines += [f"SUMMARY:{_escape(_('Peer Support session'))}"]
    lines.append("STATUS:CANCELLED" if occurrence.is_cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return [line for line in lines if line]


def render_calendar(
    occurrences: Iterable[SessionOccurrence],
    *,
    name_private_groups: bool = True,
    name: str = "",
) -> str:
    """A VCALENDAR with one event per occurrence. Sessions of unlisted groups are named only
    when `name_private_groups` (a single download always names its own session)."""
    now = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for occurrence in occurrences:
        listed = occurrence.group.visibility == Group.Visibility.LISTED
        lines += _event(occurrence, named=listed or name_private_groups, now=now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
