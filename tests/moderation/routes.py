"""Moderation routes × every role. Group content is played by the test stand-in adapter."""

from django.contrib.contenttypes.models import ContentType

from tests.role_matrix import ROLES, Route, signed_in

# Who may moderate `w.group`: its facilitator and administrators. Non-members (and removed
# members, pending requesters, other groups' facilitators) get 404; members get 403.
GROUP_MOD = {
    "visitor": 302,
    "non_member": 404,
    "pending_requester": 404,
    "member": 403,
    "muted_member": 403,
    "removed_member": 404,
    "other_facilitator": 404,
    "facilitator": 200,
    "admin": 200,
}
# Pages for anyone who moderates somewhere.
ANY_MOD = {
    **dict.fromkeys(ROLES, 403),
    "visitor": 302,
    "other_facilitator": 200,
    "facilitator": 200,
    "admin": 200,
}
ADMIN_ONLY = {**dict.fromkeys(ROLES, 403), "visitor": 302, "admin": 200}
READERS = {**GROUP_MOD, "member": 200, "muted_member": 200}


def posted(expect: dict[str, int]) -> dict[str, int]:
    """A successful POST redirects."""
    return {role: 302 if status == 200 else status for role, status in expect.items()}


def _post(w):
    from tests.content import make_post
    from tests.factories import MembershipFactory

    def make():
        return make_post(
            group=w.group, author=MembershipFactory(group=w.group).user, text="Reported post"
        )

    return w.once("post", make)


def _case(w):
    from moderation import services
    from tests.factories import MembershipFactory

    return w.once(
        "case",
        lambda: (
            services.report_create(
                reporter=MembershipFactory(group=w.group).user, content=_post(w), reason="spam"
            ).case
        ),
    )


def _held(w):
    from moderation import services
    from tests.content import make_post
    from tests.factories import MembershipFactory

    def make():
        _post(w)
        return services.held_item_create(
            content=make_post(
                group=w.group, author=MembershipFactory(group=w.group).user, text="first"
            ),
            reason="first_post",
        )

    return w.once("held", make)


def _group_word(w):
    from moderation import services

    return w.once(
        "word",
        lambda: services.watched_word_create(
            actor=w.users["admin"], phrase="diet pills", action="hold", group=w.group
        ),
    )


def _notice(w, key):
    from moderation import services

    def make():
        action = services.member_warn(
            actor=w.users["facilitator"],
            subject=w.users["member"],
            group=w.group,
            reason="gentle reminder",
        )
        return action.notice

    return w.once(key, make)


def _appeal(w):
    from moderation import services

    return w.once(
        "appeal",
        lambda: services.appeal_create(
            author=w.users["member"],
            action=_notice(w, "notice-for-appeal").action,
            text="please look again",
        ),
    )


def _report_kwargs(w):
    post = _post(w)
    return {"content_type_id": ContentType.objects.get_for_model(post).pk, "object_id": post.pk}


ROUTES = [
    Route("moderation:queue", ANY_MOD),
    Route("moderation:case", GROUP_MOD, kwargs=lambda w: {"pk": _case(w).pk}),
    Route(
        "moderation:case_claim",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
    ),
    # "This was hard": the group's moderators (the open spam case only says it is not offered).
    Route(
        "moderation:case_debrief",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
        data=lambda w: {"note": ""},
    ),
    Route("moderation:group_workload", ADMIN_ONLY, kwargs=lambda w: {"slug": w.group.slug}),
    Route(
        "moderation:case_act",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
        data=lambda w: {"kind": "dismiss", "reason_code": "other", "reason": "Looks fine"},
    ),
    Route("moderation:held_queue", ANY_MOD),
    Route(
        "moderation:held_decide",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _held(w).pk},
        method="POST",
        data=lambda w: {"decision": "approve", "note": ""},
    ),
    Route("moderation:watched_words", ADMIN_ONLY),
    Route(
        "moderation:watched_word_delete",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _group_word(w).pk},
        method="POST",
    ),
    Route("moderation:group_watched_words", GROUP_MOD, kwargs=lambda w: {"slug": w.group.slug}),
    Route(
        "moderation:group_settings",
        posted(GROUP_MOD),
        kwargs=lambda w: {"slug": w.group.slug},
        method="POST",
        data=lambda w: {"premoderation": "on", "thread_slow_mode_minutes": "5"},
    ),
    Route(
        "moderation:member_notes",
        GROUP_MOD,
        kwargs=lambda w: {"slug": w.group.slug, "user_id": w.users["member"].pk},
    ),
    Route("moderation:audit_log", ANY_MOD),
    Route("moderation:appeals", ADMIN_ONLY),
    Route(
        "moderation:appeal_decide",
        posted(ADMIN_ONLY),
        kwargs=lambda w: {"pk": _appeal(w).pk},
        method="POST",
        data=lambda w: {"decision": "uphold", "note": "Kept, kindly."},
    ),
    Route("moderation:report", READERS, kwargs=_report_kwargs),
    Route(
        "moderation:report",
        posted(READERS),
        kwargs=_report_kwargs,
        method="POST",
        data=lambda w: {"reason": "harassment", "note": ""},
    ),
    Route("moderation:notices", signed_in(200)),
    Route(
        "moderation:appeal_create",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 200},
        kwargs=lambda w: {"pk": _notice(w, "notice").pk},
    ),
    Route("moderation:my_reports", signed_in(200)),
]

# --- safety: the composer's support check and the private "let a facilitator know" ------------
ROUTES += [
    Route(
        "moderation:support_check",
        signed_in(200),
        method="POST",
        data=lambda w: {"text": "A calm day."},
    ),
    Route(
        "moderation:support_request",
        posted(READERS),
        method="POST",
        data=lambda w: {"support_group": w.group.slug, "next": "/"},
    ),
]

# --- the facilitator's console: the risk protocol, private messages, the readable audit log ---


def _thread(w):
    from moderation import services

    return w.once(
        "thread",
        lambda: (
            services.staff_message_send(
                actor=w.users["facilitator"], group=w.group, member=w.users["member"], body="Hello"
            ).thread
        ),
    )


def _content_entry(w):
    from moderation.models import AuditLogEntry

    _case(w)
    return AuditLogEntry.objects.filter(action="report.create").latest("pk")


# Any moderator may open the link, but only to entries of groups they moderate.
AUDIT_TARGET = {
    **dict.fromkeys(ROLES, 403),
    "visitor": 302,
    "other_facilitator": 404,
    "facilitator": 302,
    "admin": 302,
}

ROUTES += [
    Route(
        "moderation:case_message",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
        data=lambda w: {"body": "I noticed your post and wanted to check in."},
    ),
    Route(
        "moderation:case_handover",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
        data=lambda w: {"note": "Please look, I'm unsure."},
    ),
    Route(
        "moderation:case_follow_up",
        posted(GROUP_MOD),
        kwargs=lambda w: {"pk": _case(w).pk},
        method="POST",
        data=lambda w: {"when": "4", "note": ""},
    ),
    Route(
        "moderation:staff_thread",
        GROUP_MOD,
        kwargs=lambda w: {"slug": w.group.slug, "user_id": w.users["member"].pk},
    ),
    Route(
        "moderation:staff_thread",
        posted(GROUP_MOD),
        kwargs=lambda w: {"slug": w.group.slug, "user_id": w.users["member"].pk},
        method="POST",
        data=lambda w: {"body": "How are you doing?"},
    ),
    Route("moderation:my_messages", signed_in(200)),
    Route(
        "moderation:my_thread",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 200},
        kwargs=lambda w: {"pk": _thread(w).pk},
    ),
    Route(
        "moderation:my_thread",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "member": 302},
        kwargs=lambda w: {"pk": _thread(w).pk},
        method="POST",
        data=lambda w: {"body": "Thank you, I'm OK."},
    ),
    Route("moderation:audit_export", ADMIN_ONLY),
    Route("moderation:audit_target", AUDIT_TARGET, kwargs=lambda w: {"pk": _content_entry(w).pk}),
]
