"""Every moderation write, one module per noun. Each service re-checks permission, runs in one
transaction and writes an AuditLogEntry in it; notifications are sent as signals after commit.

- `reports`: a member reports an item (and enough reports hide it for now)
- `cases`: cases and the actions on their items (claim, dismiss, hide, restore, redact, remove),
  the safety scan's and a member's own support request's urgent cases
- `members`: sanctions on a member (warn, mute, remove, reinstate, ban, unban) and notes
- `held`: held posts (pre-moderation)
- `appeals`: appeals, and undoing an overturned decision
- `watched_words`: watched words and a group's moderation settings
- `audit`: the append-only audit log (`audit_record`)
- `incidents`: one dialog per incident (hide/redact + warn + mute, one notice, one appeal)
- `protocol`: the risk protocol on urgent cases (hand over to administrators, follow-ups)
- `messages`: private messages between a group's facilitators and a member
- `care`: volunteer care ("this was hard" after a risk case tells an administrator privately)

Content is reached only through `registry` adapters, so nothing here imports stories or chat.
Moderation's own modules import from the noun modules; other apps may use the names
re-exported here. Read-only checks content services call before saving live in `screening`
and are re-exported too (`screen_text`, `held_post_should_hold`).
"""

from ..screening import ScreenResult, held_post_should_hold, normalize_phrase, screen_text
from .appeals import appeal_create, appeal_decide
from .audit import action_record, audit_record
from .base import (
    AlreadyAppealed,
    AlreadyReported,
    ModerationError,
    ReportRateLimited,
    SelfReport,
)
from .care import case_debrief_request
from .cases import (
    case_claim,
    case_dismiss,
    case_open,
    content_hide,
    content_redact,
    content_remove,
    content_restore,
    support_case_open,
)
from .held import held_item_create, held_post_approve, held_post_decline
from .incidents import case_incident_act
from .members import (
    member_ban,
    member_mute,
    member_reinstate,
    member_remove,
    member_unban,
    member_unmute,
    member_warn,
    moderator_note_create,
)
from .messages import staff_message_reply, staff_message_send
from .protocol import case_follow_up_plan, case_follow_up_remind, case_hand_over
from .reports import report_create
from .watched_words import group_settings_update, watched_word_create, watched_word_delete

__all__ = [
    "AlreadyAppealed",
    "AlreadyReported",
    "ModerationError",
    "ReportRateLimited",
    "ScreenResult",
    "SelfReport",
    "action_record",
    "appeal_create",
    "appeal_decide",
    "audit_record",
    "case_claim",
    "case_follow_up_plan",
    "case_follow_up_remind",
    "case_hand_over",
    "case_incident_act",
    "case_debrief_request",
    "case_dismiss",
    "case_open",
    "content_hide",
    "content_redact",
    "content_remove",
    "content_restore",
    "group_settings_update",
    "held_item_create",
    "held_post_approve",
    "held_post_decline",
    "held_post_should_hold",
    "member_ban",
    "member_mute",
    "member_reinstate",
    "member_remove",
    "member_unban",
    "member_unmute",
    "member_warn",
    "moderator_note_create",
    "normalize_phrase",
    "report_create",
    "screen_text",
    "staff_message_reply",
    "staff_message_send",
    "support_case_open",
    "watched_word_create",
    "watched_word_delete",
]
