import uuid

from tests.role_matrix import Route

READERS = {"member": 200, "muted_member": 200, "facilitator": 200, "admin": 200}
OUTSIDERS = {
    "non_member": 404,
    "pending_requester": 404,
    "removed_member": 404,
    "other_facilitator": 404,
}


def _message(w):
    from groups.chat.models import ChatMessage, ChatRoomSettings

    def make():
        ChatRoomSettings.objects.get_or_create(group=w.group, defaults={"last_seq": 1})
        return ChatMessage.objects.create(
            group=w.group,
            seq=1,
            author=w.users["member"],
            client_id="routes-message-1",
            body="Hello",
        )

    return w.once("chat_message", make)


MODERATE = {
    "visitor": 302,
    **OUTSIDERS,
    "member": 403,
    "muted_member": 403,
    "facilitator": 302,
    "admin": 302,
}

ROUTES = [
    Route(
        "chat:room",
        {"visitor": 302, **OUTSIDERS, **READERS},
        kwargs=lambda w: {"slug": w.group.slug},
    ),
    Route(
        "chat:room",
        {
            "visitor": 302,
            **OUTSIDERS,
            "member": 302,
            "muted_member": 400,
            "facilitator": 302,
            "admin": 302,
        },
        kwargs=lambda w: {"slug": w.group.slug},
        method="POST",
        data=lambda w: {"body": "Hello, everyone", "client_id": uuid.uuid4().hex},
    ),
    Route(
        "chat:messages",
        {"visitor": 302, **OUTSIDERS, **READERS},
        kwargs=lambda w: {"slug": w.group.slug},
        query="after=0",
    ),
    Route(
        "chat:delete",
        MODERATE,
        kwargs=lambda w: {"slug": w.group.slug, "seq": _message(w).seq},
        method="POST",
    ),
    Route(
        "chat:mute",
        MODERATE,
        kwargs=lambda w: {"slug": w.group.slug},
        method="POST",
        data=lambda w: {"user_id": w.users["member"].pk, "mute_for": "15m"},
    ),
    Route(
        "chat:settings",
        MODERATE,
        kwargs=lambda w: {"slug": w.group.slug},
        method="POST",
        data=lambda w: {"slow_mode_seconds": 30, "facilitator_only": "on"},
    ),
]
