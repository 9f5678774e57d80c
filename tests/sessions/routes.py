"""Every scheduled-sessions route, asked by every role."""

from datetime import timedelta

from django.utils import timezone

from groups.sessions.models import CalendarFeed, GroupSession
from tests.role_matrix import Route, same, signed_in
from tests.sessions.helpers import going, make_occurrence

OUTSIDERS = {
    "non_member": 404,
    "pending_requester": 404,
    "removed_member": 404,
    "other_facilitator": 404,
}


def readers(status: int) -> dict[str, int]:
    """Members (muted too), the group's facilitators and administrators; 404 to outsiders."""
    return {
        "visitor": 302,
        **OUTSIDERS,
        "member": status,
        "muted_member": status,
        "facilitator": status,
        "admin": status,
    }


def facilitators(status: int) -> dict[str, int]:
    """The group's facilitators and administrators; members may know it exists (403)."""
    return {
        "visitor": 302,
        **OUTSIDERS,
        "member": 403,
        "muted_member": 403,
        "facilitator": status,
        "admin": status,
    }


def _occurrence(w):
    return w.once(
        "session_occurrence",
        lambda: make_occurrence(
            w.group,
            w.users["facilitator"],
            recurrence=GroupSession.Recurrence.WEEKLY,
        ),
    )


def _live(w):
    return w.once(
        "live_occurrence",
        lambda: make_occurrence(
            w.group,
            w.users["facilitator"],
            start=timezone.now() - timedelta(minutes=5),
            title="Live now",
        ),
    )


def occ(w) -> dict:
    return {"slug": w.group.slug, "pk": _occurrence(w).pk}


def series(w) -> dict:
    return {"slug": w.group.slug, "sid": _occurrence(w).session_id}


def _local(days: int = 3) -> str:
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _session_data(w) -> dict:
    return {
        "title": "Sunday morning circle",
        "description": "Coffee and a gentle chat.",
        "start": _local(5),
        "host_timezone": "UTC",
        "duration_minutes": 60,
        "capacity": "",
        "recurrence": "none",
        "repeat_until": "",
    }


def _feed(w):
    def make():
        member = w.users["member"]
        going(_occurrence(w), member)
        return CalendarFeed.objects.create(user=member)

    return w.once("calendar_feed", make)


ROUTES = [
    Route("group_sessions:list", readers(200), kwargs=lambda w: {"slug": w.group.slug}),
    Route("group_sessions:detail", readers(200), kwargs=occ),
    Route("group_sessions:ics", readers(200), kwargs=occ),
    Route(
        "group_sessions:rsvp",
        readers(302),
        kwargs=occ,
        method="POST",
        data=lambda w: {"going": "yes"},
    ),
    Route(
        "group_sessions:checkout",
        readers(302),
        kwargs=occ,
        method="POST",
        data=lambda w: {"feeling": "same"},
    ),
    Route("group_sessions:create", facilitators(200), kwargs=lambda w: {"slug": w.group.slug}),
    Route(
        "group_sessions:create",
        facilitators(302),
        kwargs=lambda w: {"slug": w.group.slug},
        method="POST",
        data=_session_data,
    ),
    Route("group_sessions:series_edit", facilitators(200), kwargs=series),
    Route(
        "group_sessions:series_edit",
        facilitators(302),
        kwargs=series,
        method="POST",
        data=lambda w: {**_session_data(w), "host_timezone": "Europe/London"},
    ),
    Route("group_sessions:series_cancel", facilitators(302), kwargs=series, method="POST"),
    Route("group_sessions:occurrence_edit", facilitators(200), kwargs=occ),
    Route(
        "group_sessions:occurrence_edit",
        facilitators(302),
        kwargs=occ,
        method="POST",
        data=lambda w: {"start": _local(4), "duration_minutes": 45},
    ),
    Route("group_sessions:occurrence_cancel", facilitators(302), kwargs=occ, method="POST"),
    Route(
        "group_sessions:notes",
        facilitators(302),
        kwargs=occ,
        method="POST",
        data=lambda w: {"notes": "A quiet, warm session."},
    ),
    # Ending a session: its hosts (the facilitator here) and administrators.
    Route(
        "group_sessions:end",
        facilitators(302),
        kwargs=lambda w: {"slug": w.group.slug, "pk": _live(w).pk},
        method="POST",
    ),
    Route("my_sessions:mine", signed_in(200)),
    Route(
        "my_sessions:feed_manage",
        signed_in(302),
        method="POST",
        data=lambda w: {"action": "replace"},
    ),
    # The feed's secret address is its only key (calendar apps cannot sign in).
    Route("my_sessions:feed", same(200), kwargs=lambda w: {"token": _feed(w).token}),
    Route(
        "my_sessions:feed",
        same(404),
        kwargs=lambda w: {"token": "not-a-real-token"},
        label="unknown token",
    ),
]
