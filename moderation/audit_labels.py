"""How the audit log reads to people: a plain label for each action code, links to the case,
the member and the content, and how long a mute or follow-up lasts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import AuditLogEntry

LABELS = {
    "appeal.create": _("Member appealed a decision"),
    "appeal.overturn": _("Appeal: decision reversed"),
    "appeal.uphold": _("Appeal: decision kept"),
    "case.claim": _("Case claimed"),
    "case.dismiss": _("Case closed with no action"),
    "case.escalate": _("Urgent case escalated to administrators"),
    "case.follow_up": _("Follow-up planned"),
    "case.follow_up_due": _("Follow-up reminder sent"),
    "case.handover": _("Case handed over to administrators"),
    "case.open": _("Case opened"),
    "content.auto_hide": _("Hidden automatically after several reports"),
    "content.hide": _("Post hidden"),
    "content.hide_pending": _("Post hidden while reviewed"),
    "content.redact": _("Part of a post redacted"),
    "content.remove": _("Message removed"),
    "content.restore": _("Post restored"),
    "group_settings.update": _("Group moderation settings changed"),
    "held.approve": _("Held post approved"),
    "held.create": _("Post held for review"),
    "held.decline": _("Held post declined"),
    "member.ban": _("Member banned from the site"),
    "member.mute": _("Member muted"),
    "member.reinstate": _("Member welcomed back"),
    "member.remove": _("Member removed from the group"),
    "member.unban": _("Site ban lifted"),
    "member.unmute": _("Mute lifted"),
    "member.warn": _("Member warned"),
    "message.reply": _("Member replied privately"),
    "message.send": _("Private message to a member"),
    "note.create": _("Moderator note added"),
    "report.create": _("Report made"),
    "safety.verdict": _("Safety check recorded"),
    "support.request": _("Member asked for support"),
    "thread.slow_mode": _("Thread slow mode changed"),
    "watched_word.create": _("Watched word added"),
    "watched_word.delete": _("Watched word removed"),
}


def label_for(code: str) -> str:
    return str(LABELS.get(code, code))


def _when(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def duration_for(entry: AuditLogEntry) -> str:
    """ "for 24 hours", "until lifted", "due in 4 hours" — or nothing."""
    after = entry.after or {}
    if entry.action == "member.mute":
        until = _when(after.get("muted_until"))
        if until is None:
            return str(_("until a facilitator lifts it"))
        # The end was computed a moment before the row was written: a minute's slack reads
        # "for 1 week" rather than "for 6 days, 23 hours".
        start = entry.created_at - timedelta(minutes=1)
        return str(_("for %(span)s") % {"span": timesince(start, until, depth=1)})
    if entry.action == "case.follow_up":
        due = _when(after.get("due_at"))
        if due is not None:
            start = entry.created_at - timedelta(minutes=1)
            return str(_("in %(span)s") % {"span": timesince(start, due, depth=1)})
    return ""


def _is_content(entry: AuditLogEntry) -> bool:
    model = entry.target_content_type.model_class() if entry.target_content_type else None
    return model is not None and registry.is_registered(model)


def describe(entry: AuditLogEntry, *, user_model_label: str = "accounts.user") -> dict[str, Any]:
    """Label, duration and links for one entry; no query (links go through the site's pages)."""
    after = entry.after or {}
    target_label = entry.target_content_type.app_label if entry.target_content_type else ""
    target_model = entry.target_content_type.model if entry.target_content_type else ""
    links: list[tuple[str, str]] = []
    case_id = after.get("case")
    if f"{target_label}.{target_model}" == "moderation.case":
        case_id = case_id or entry.target_id
    if case_id:
        links.append((str(_("case")), reverse("moderation:case", kwargs={"pk": int(case_id)})))
    if f"{target_label}.{target_model}" == user_model_label and entry.target_id:
        if entry.group is not None:
            url = reverse(
                "moderation:member_notes",
                kwargs={"slug": entry.group.slug, "user_id": int(entry.target_id)},
            )
            links.append((str(_("member")), url))
    elif target_model and _is_content(entry):
        links.append(
            (str(_("content")), reverse("moderation:audit_target", kwargs={"pk": entry.pk}))
        )
    return {
        "entry": entry,
        "label": label_for(entry.action),
        "duration": duration_for(entry),
        "links": links,
    }
