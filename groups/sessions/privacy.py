"""The member's sessions in their data export (SessionsConfig.ready): what they said they'd
come to, when they were in the room, and the sessions they scheduled. Check-out answers are not
linked to anyone, so they are in nobody's export."""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import Attendance, GroupSession, Rsvp


def collect_sessions(user) -> list[dict]:  # noqa: ANN001 - the member
    rows: list[dict] = []
    for r in Rsvp.objects.filter(user=user).select_related(
        "occurrence__session", "occurrence__group"
    ):
        rows.append(
            {
                "kind": "rsvp",
                "group": r.occurrence.group.name,
                "session": r.occurrence.session.title,
                "starts_at": r.occurrence.start,
                "answer": r.status,
                "answered_at": r.updated_at,
            }
        )
    for a in Attendance.objects.filter(user=user).select_related(
        "occurrence__session", "occurrence__group"
    ):
        rows.append(
            {
                "kind": "attended",
                "group": a.occurrence.group.name,
                "session": a.occurrence.session.title,
                "joined_at": a.joined_at,
            }
        )
    for s in GroupSession.objects.filter(host=user).select_related("group"):
        rows.append(
            {
                "kind": "hosted",
                "group": s.group.name,
                "session": s.title,
                "description": s.description,
                "first_start": s.start,
            }
        )
    return rows


def register() -> None:
    register_export_section("sessions", _("Scheduled sessions"), collect_sessions, order=40)
