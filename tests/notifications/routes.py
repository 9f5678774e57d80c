from tests.role_matrix import ROLES, Route, same, signed_in


def _member_notification(w):
    from tests.factories import NotificationFactory

    return w.once("notification", lambda: NotificationFactory(recipient=w.users["member"]))


def _token(w):
    from peersupport.notifications.services import unsubscribe_token

    return unsubscribe_token(user_id=w.users["member"].pk, kind="reply_to_my_story")


def _preferences_data(w):
    from peersupport.notifications.models import DEFAULT_DELIVERY

    return {
        "digest_hour": "18",
        "quiet_start": "",
        "quiet_end": "",
        **{f"delivery_{k}": v for k, v in DEFAULT_DELIVERY.items()},
    }


# Marking read: only the recipient; anyone else gets 404 so the notification is not revealed.
_only_member = {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 302}

# Following a group's new stories: anyone who can read the group; others get 404.
_group_readers = {
    "visitor": 302,
    "non_member": 404,
    "pending_requester": 404,
    "member": 302,
    "muted_member": 302,
    "removed_member": 404,
    "other_facilitator": 404,
    "facilitator": 302,
    "admin": 302,
}

# Going off duty: facilitators and administrators; members have no alerts to hand over (403).
_moderators = {
    **dict.fromkeys(ROLES, 403),
    "visitor": 302,
    "other_facilitator": 302,
    "facilitator": 302,
    "admin": 302,
}

ROUTES = [
    Route("notifications:duty", _moderators, method="POST", data=lambda w: {"duty": "off"}),
    Route("notifications:centre", signed_in(200)),
    Route("notifications:preferences", signed_in(200)),
    Route("notifications:preferences", signed_in(302), method="POST", data=_preferences_data),
    Route("notifications:mark_all_read", signed_in(302), method="POST", data=lambda w: {}),
    Route(
        "notifications:mark_read",
        _only_member,
        method="POST",
        kwargs=lambda w: {"pk": _member_notification(w).pk},
        data=lambda w: {},
    ),
    Route(
        "notifications:group_follow",
        _group_readers,
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug},
        data=lambda w: {"follow": "on"},
    ),
    # The signed token is the authority: the page answers the same whoever opens it.
    Route("notifications:unsubscribe", same(200), kwargs=lambda w: {"token": _token(w)}),
    Route(
        "notifications:unsubscribe",
        same(400),
        kwargs=lambda w: {"token": "forged:token"},
        label="forged",
    ),
]
