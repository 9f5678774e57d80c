"""Every write about scheduled sessions, one module per noun.

- `schedule`: schedule, edit and cancel a session or one occurrence of a series
- `rsvp`: going / not going, the waiting list and its promotion
- `reminders`: the reminders 24 hours and 15 minutes before, each exactly once
- `room`: attendance, ending a session, host notes, the anonymous check-out
- `feeds`: the member's private calendar feed token
"""

from .feeds import calendar_feed_delete, calendar_feed_replace, calendar_feed_update
from .reminders import session_reminders_send
from .room import (
    attendance_record,
    checkout_submit,
    occurrence_end,
    occurrence_notes_update,
)
from .rsvp import rsvp_set
from .schedule import (
    SessionInput,
    occurrence_cancel,
    occurrence_update,
    session_cancel,
    session_schedule,
    session_update,
)

__all__ = [
    "SessionInput",
    "attendance_record",
    "calendar_feed_delete",
    "calendar_feed_replace",
    "calendar_feed_update",
    "checkout_submit",
    "occurrence_cancel",
    "occurrence_end",
    "occurrence_notes_update",
    "occurrence_update",
    "rsvp_set",
    "session_cancel",
    "session_reminders_send",
    "session_schedule",
    "session_update",
]
