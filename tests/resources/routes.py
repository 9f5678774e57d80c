from tests.factories import CategoryFactory, ResourceFactory, SuggestionFactory, TagFactory
from tests.role_matrix import ROLES, Route, same, signed_in

ADMIN_ONLY_GET = {**dict.fromkeys(ROLES, 404), "admin": 200}
ADMIN_ONLY_POST = {**dict.fromkeys(ROLES, 404), "admin": 302}
# Group content: readable by members (muted ones too), facilitators and administrators.
GROUP_READERS = {
    **dict.fromkeys(ROLES, 404),
    "member": 200,
    "muted_member": 200,
    "facilitator": 200,
    "admin": 200,
}
# Featuring: facilitators and administrators; members may see the page but not change it.
GROUP_MODERATORS = {
    **dict.fromkeys(ROLES, 404),
    "member": 403,
    "muted_member": 403,
    "facilitator": 302,
    "admin": 302,
}


def _published(w):
    return w.once("published", lambda: ResourceFactory(slug="published-one", title="Published one"))


def _draft(w):
    return w.once("draft", lambda: ResourceFactory(slug="draft-one", status="draft"))


def _suggestion(w):
    return w.once("suggestion", lambda: SuggestionFactory())


ROUTES = [
    Route("resources:library", same(200)),
    Route("resources:library", same(200), query="q=breath", label="search"),
    Route("resources:category", same(404), kwargs=lambda w: {"slug": "no-such-category"}),
    Route(
        "resources:category",
        same(200),
        kwargs=lambda w: {"slug": w.once("cat", CategoryFactory).slug},
        label="known",
    ),
    Route(
        "resources:tag",
        same(200),
        kwargs=lambda w: {"slug": w.once("tag", TagFactory).slug},
        label="known",
    ),
    Route("resources:tag", same(404), kwargs=lambda w: {"slug": "no-such-tag"}),
    Route("resources:detail", same(200), kwargs=lambda w: {"slug": _published(w).slug}),
    Route("resources:detail", same(404), kwargs=lambda w: {"slug": _draft(w).slug}, label="draft"),
    Route("resources:suggest", signed_in(200)),
    Route(
        "resources:suggest",
        signed_in(302),
        method="POST",
        label="send",
        data=lambda w: {"kind": "link", "title": "A good site", "url": "https://example.org/"},
    ),
    Route("resources:staff_dashboard", ADMIN_ONLY_GET),
    Route("resources:staff_create", ADMIN_ONLY_GET),
    Route(
        "resources:staff_create",
        ADMIN_ONLY_POST,
        method="POST",
        label="save",
        data=lambda w: {
            "kind": "article",
            "title": "New one",
            "summary": "Short.",
            "body": "Text.",
        },
    ),
    Route("resources:staff_categories", ADMIN_ONLY_GET),
    Route("resources:staff_suggestions", ADMIN_ONLY_GET),
    Route(
        "resources:staff_suggestion_accept",
        ADMIN_ONLY_POST,
        method="POST",
        kwargs=lambda w: {"pk": _suggestion(w).pk},
    ),
    Route(
        "resources:staff_suggestion_decline",
        ADMIN_ONLY_POST,
        method="POST",
        kwargs=lambda w: {"pk": w.once("s2", SuggestionFactory).pk},
    ),
    Route("resources:staff_preview", ADMIN_ONLY_GET, kwargs=lambda w: {"pk": _draft(w).pk}),
    Route("resources:staff_edit", ADMIN_ONLY_GET, kwargs=lambda w: {"pk": _draft(w).pk}),
    Route(
        "resources:staff_publish",
        ADMIN_ONLY_POST,
        method="POST",
        kwargs=lambda w: {"pk": _draft(w).pk},
    ),
    Route(
        "resources:staff_archive",
        ADMIN_ONLY_POST,
        method="POST",
        kwargs=lambda w: {"pk": _published(w).pk},
    ),
    Route(
        "resources:staff_mark_reviewed",
        ADMIN_ONLY_POST,
        method="POST",
        kwargs=lambda w: {"pk": _published(w).pk},
    ),
    Route("group_resources:list", GROUP_READERS, kwargs=lambda w: {"slug": w.group.slug}),
    Route(
        "group_resources:feature",
        GROUP_MODERATORS,
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug},
        data=lambda w: {"resource": _published(w).pk},
    ),
    Route(
        "group_resources:unfeature",
        GROUP_MODERATORS,
        method="POST",
        kwargs=lambda w: {"slug": w.group.slug},
        data=lambda w: {"resource": _published(w).pk},
    ),
]
