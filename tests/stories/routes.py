"""Every story route × every role. Group content is 404 to anyone who cannot read the group."""

from stories.models import Story
from tests.factories import ReplyFactory, StoryFactory
from tests.role_matrix import Route, signed_in

# Readers: members (muted too), facilitators, admins. Everyone else signed in: 404. Visitors: sign in.
READ = {
    "visitor": 302,
    "non_member": 404,
    "pending_requester": 404,
    "member": 200,
    "muted_member": 200,
    "removed_member": 404,
    "other_facilitator": 404,
    "facilitator": 200,
    "admin": 200,
}
# Writing: a muted member may read but not post.
POST_REDIRECT = {**READ, "member": 302, "muted_member": 403, "facilitator": 302, "admin": 302}
MODERATE_GET = {**READ, "member": 403, "muted_member": 403}
MODERATE_POST = {**MODERATE_GET, "facilitator": 302, "admin": 302}
# Author-only pages: everyone who can read but is not the author gets 403.
AUTHOR_ONLY = {**READ, "member": 403, "muted_member": 403, "facilitator": 403, "admin": 403}
FOLLOW = {**READ, "member": 302, "muted_member": 302, "facilitator": 302, "admin": 302}


def _story(w):
    return w.once("story", lambda: StoryFactory(group=w.group, title="Matrix story"))


def _edited_story(w):
    def make() -> Story:
        story = StoryFactory(group=w.group, title="Edited matrix story")
        Story.objects.filter(pk=story.pk).update(edited_at=story.created_at)
        return story

    return w.once("edited_story", make)


def _reply(w):
    return w.once("reply", lambda: ReplyFactory(story=_story(w)))


def story_kwargs(w):
    return {"slug": w.group.slug, "pk": _story(w).pk}


def reply_kwargs(w):
    return {"slug": w.group.slug, "pk": _reply(w).pk}


def group_kwargs(w):
    return {"slug": w.group.slug}


ROUTES = [
    Route("stories:list", READ, kwargs=group_kwargs),
    Route("stories:waiting", READ, kwargs=group_kwargs),
    Route("stories:create", {**READ, "muted_member": 403}, kwargs=group_kwargs),
    Route(
        "stories:create",
        POST_REDIRECT,
        kwargs=group_kwargs,
        method="POST",
        label="submit",
        data=lambda w: {"title": "A title", "body": "A body", "replies_welcome": "yes"},
    ),
    Route("stories:search", READ, kwargs=group_kwargs, query="q=matrix"),
    Route("stories:detail", READ, kwargs=story_kwargs),
    Route("stories:edit", AUTHOR_ONLY, kwargs=story_kwargs),
    Route("stories:delete", AUTHOR_ONLY, kwargs=story_kwargs),
    Route(
        "stories:history",
        MODERATE_GET,
        kwargs=lambda w: {"slug": w.group.slug, "pk": _edited_story(w).pk},
    ),
    Route(
        "stories:reply",
        POST_REDIRECT,
        kwargs=story_kwargs,
        method="POST",
        data=lambda w: {"body": "Thinking of you."},
    ),
    # "React": the four choices as one form (a small page, or in place with htmx).
    Route("stories:react", {**READ, "muted_member": 403}, kwargs=story_kwargs),
    Route(
        "stories:react",
        POST_REDIRECT,
        kwargs=story_kwargs,
        method="POST",
        data=lambda w: {"kind": "hear"},
    ),
    Route("stories:pin", MODERATE_POST, kwargs=story_kwargs, method="POST"),
    Route(
        "stories:slow_mode",
        MODERATE_POST,
        kwargs=story_kwargs,
        method="POST",
        data=lambda w: {"minutes": "5"},
    ),
    Route("stories:follow", FOLLOW, kwargs=story_kwargs, method="POST"),
    Route("stories:reply_edit", AUTHOR_ONLY, kwargs=reply_kwargs),
    Route("stories:reply_delete", AUTHOR_ONLY, kwargs=reply_kwargs),
    Route("stories:reply_history", MODERATE_GET, kwargs=reply_kwargs),
    Route("stories:reply_react", {**READ, "muted_member": 403}, kwargs=reply_kwargs),
    Route(
        "stories:reply_react",
        POST_REDIRECT,
        kwargs=reply_kwargs,
        method="POST",
        data=lambda w: {"kind": "metoo"},
    ),
    Route("search", signed_in(200), query="q=matrix"),
    Route("story_preferences", signed_in(200)),
]
