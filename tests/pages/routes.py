"""Trust pages (peersupport.pages) and the welcome page after sign-up (groups.welcome_urls)."""

from tests.role_matrix import ROLES, Route, same, signed_in

CONTACT_OK = {"topic": "question", "message": "Where can I read about the groups' facilitators?"}


def _unlisted(w) -> dict:
    def make():
        from groups.models import Group
        from tests.factories import GroupFactory

        return GroupFactory(slug="quiet-room", visibility=Group.Visibility.UNLISTED)

    return {"slug": w.once("unlisted", make).slug}


ROUTES = [
    Route("pages:about", same(200)),
    Route("pages:guidelines", same(200)),
    Route("pages:terms", same(200)),
    Route("pages:contact", same(200)),
    Route("pages:contact", same(400), method="POST", label="empty"),
    Route("pages:contact", same(302), method="POST", data=lambda w: CONTACT_OK),
    Route("welcome:welcome", signed_in(200)),
    # One form joins an open group with its rules accepted and lands on its composer; members
    # already in it go straight there; a removed member is refused kindly.
    Route(
        "welcome:join",
        {**signed_in(302), "removed_member": 403},
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug},
        data=lambda w: {f"join-{w.group.slug}-accept_rules": "on"},
    ),
    Route(
        "welcome:join",
        {
            **signed_in(400),
            "member": 302,
            "muted_member": 302,
            "facilitator": 302,
            "removed_member": 403,
        },
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug},
        label="rules-not-accepted",
    ),
    # An unlisted group is not revealed to people outside it.
    Route(
        "welcome:join",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "admin": 302},
        method="POST",
        kwargs=_unlisted,
        data=lambda w: {"join-quiet-room-accept_rules": "on"},
        label="unlisted",
    ),
]
