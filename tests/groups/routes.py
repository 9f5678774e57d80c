"""Every groups route, asked by every role."""

from groups.models import Group, JoinRequest, Membership
from tests.factories import GroupFactory, InvitationFactory
from tests.role_matrix import ROLES, Route, same, signed_in


def staff_only(status: int) -> dict[str, int]:
    """Administrators get `status`; everyone else is told the page doesn't exist."""
    return {**dict.fromkeys(ROLES, 404), "visitor": 302, "admin": status}


def facilitators(status: int) -> dict[str, int]:
    """The group's facilitators and administrators; members may see it exists; others get 404."""
    return {
        "visitor": 302,
        "non_member": 404,
        "pending_requester": 404,
        "member": 403,
        "muted_member": 403,
        "removed_member": 404,
        "other_facilitator": 404,
        "facilitator": status,
        "admin": status,
    }


def slug(w) -> dict:
    return {"slug": w.group.slug}


def _invitation(w):
    return w.once("invitation", lambda: InvitationFactory(group=w.group, max_uses=10))


def _request_group(w):
    return w.once("request_group", lambda: GroupFactory(join_policy=Group.JoinPolicy.REQUEST))


def _pending(w):
    return JoinRequest.objects.get(group=w.group, user=w.users["pending_requester"])


def _membership(w, role: str):
    return Membership.objects.get(group=w.group, user=w.users[role])


ROUTES = [
    Route("groups:directory", same(200)),
    Route("groups:directory", same(200), query="topic=Anxiety&q=calm", label="filtered"),
    Route("groups:mine", signed_in(200)),
    Route("groups:detail", same(200), kwargs=slug),
    Route(
        "groups:invitation",
        {**signed_in(200), "removed_member": 404},
        kwargs=lambda w: {"token": _invitation(w).token},
    ),
    Route(
        "groups:invitation",
        {**signed_in(302), "removed_member": 404},
        method="POST",
        kwargs=lambda w: {"token": _invitation(w).token},
        data=lambda w: {"accept_rules": "on"},
    ),
    Route(
        "groups:join",
        {**signed_in(302), "removed_member": 403},
        method="POST",
        kwargs=slug,
        data=lambda w: {"join-accept_rules": "on"},
    ),
    Route(
        "groups:request",
        {
            **signed_in(403),
            "visitor": 302,
            "pending_requester": 302,
            "member": 302,
            "muted_member": 302,
            "facilitator": 302,
        },
        method="POST",
        kwargs=slug,
        data=lambda w: {"request-accept_rules": "on"},
        label="open group",
    ),
    Route(
        "groups:request",
        signed_in(302),
        method="POST",
        kwargs=lambda w: {"slug": _request_group(w).slug},
        data=lambda w: {"request-accept_rules": "on", "request-message": "Hello"},
        label="request group",
    ),
    Route("groups:request_withdraw", signed_in(302), method="POST", kwargs=slug),
    Route(
        "groups:leave",
        {
            **signed_in(404),
            "visitor": 302,
            "member": 302,
            "muted_member": 302,
            "facilitator": 302,
            "admin": 302,
        },
        method="POST",
        kwargs=slug,
    ),
    Route(
        "groups:accept_rules",
        {
            **signed_in(404),
            "visitor": 302,
            "member": 302,
            "muted_member": 302,
            "facilitator": 302,
            "admin": 403,
        },
        method="POST",
        kwargs=slug,
    ),
    Route("groups:requests", facilitators(200), kwargs=slug),
    Route(
        "groups:request_decide",
        facilitators(302),
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug, "pk": _pending(w).pk},
        data=lambda w: {"decision": "decline", "note": "Not this time, sorry."},
    ),
    Route("groups:invitations", facilitators(200), kwargs=slug),
    Route(
        "groups:invitations",
        facilitators(302),
        method="POST",
        kwargs=slug,
        data=lambda w: {"kind": "link", "link-expires_in_days": "7", "link-max_uses": "3"},
    ),
    Route(
        "groups:invitation_revoke",
        facilitators(302),
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug, "pk": _invitation(w).pk},
    ),
    Route("groups:members", facilitators(200), kwargs=slug),
    Route(
        "group_moderation:member_action",
        facilitators(302),
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug, "pk": _membership(w, "member").pk},
        data=lambda w: {"action": "mute", "mute_for": "1h"},
    ),
    Route("groups:staff_list", staff_only(200)),
    Route("groups:staff_create", staff_only(200)),
    Route("groups:staff_edit", staff_only(200), kwargs=slug),
    Route(
        "groups:staff_archive",
        staff_only(302),
        method="POST",
        kwargs=slug,
        data=lambda w: {"archived": "1"},
    ),
    Route("groups:staff_facilitators", staff_only(200), kwargs=slug),
    Route(
        "groups:staff_facilitator_remove",
        staff_only(200),
        kwargs=lambda w: {"slug": w.group.slug, "pk": _membership(w, "facilitator").pk},
    ),
    Route(
        "groups:staff_facilitator_remove",
        staff_only(302),
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug, "pk": _membership(w, "facilitator").pk},
        data=lambda w: {"confirm": "on", "allow_no_facilitator": "on"},
    ),
]
