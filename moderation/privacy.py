"""The member's reports, the notices they received and their appeals, for their export.

What was reported (someone else's words) is left out: only the member's own reason and note.
"""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import Appeal, AuthorNotice, Report


def collect_reports(user) -> list[dict]:  # noqa: ANN001 - the member
    return [
        {"reason": r.get_reason_display(), "your_note": r.note, "created_at": r.created_at}
        for r in Report.objects.filter(reporter=user).order_by("created_at", "pk")
    ]


def collect_notices(user) -> list[dict]:  # noqa: ANN001
    return [
        {"message": n.message, "created_at": n.created_at}
        for n in AuthorNotice.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def collect_appeals(user) -> list[dict]:  # noqa: ANN001
    return [
        {
            "your_appeal": a.text,
            "status": a.get_status_display(),
            "decision_note": a.decision_note,
            "created_at": a.created_at,
            "decided_at": a.decided_at,
        }
        for a in Appeal.objects.filter(author=user).order_by("created_at", "pk")
    ]


def register() -> None:
    register_export_section("reports_made", _("Reports you made"), collect_reports, order=40)
    register_export_section(
        "moderation_notices", _("Messages from facilitators"), collect_notices, order=41
    )
    register_export_section("appeals", _("Your appeals"), collect_appeals, order=42)
