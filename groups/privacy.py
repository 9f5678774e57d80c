"""The member's own group data for their export (registered in GroupsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from peersupport.accounts.privacy.registry import register_export_section

from .models import JoinRequest, Membership


def collect_memberships(user) -> list[dict]:  # noqa: ANN001 - the member
    return [
        {
            "group": m.group.name,
            "role": m.get_role_display(),
            "status": m.get_status_display(),
            "joined_at": m.joined_at,
            "rules_accepted_at": m.rules_accepted_at,
        }
        for m in Membership.objects.filter(user=user).select_related("group").order_by("joined_at")
    ]


def collect_join_requests(user) -> list[dict]:  # noqa: ANN001
    return [
        {
            "group": r.group.name,
            "message": r.message,
            "status": r.get_status_display(),
            "created_at": r.created_at,
            "decided_at": r.decided_at,
        }
        for r in JoinRequest.objects.filter(user=user)
        .select_related("group")
        .order_by("created_at")
    ]


def register() -> None:
    register_export_section("memberships", _("Your groups"), collect_memberships, order=10)
    register_export_section("join_requests", _("Requests to join"), collect_join_requests, order=11)
