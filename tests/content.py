"""Real group content for tests that need "a post": a visible story, made directly.

Moderation knows content only through the registry adapters, which the stories app registers
in its ready(); these tests use that real adapter. The story is written straight to the
database (not through story_submit) so a test of moderation controls every case and hold
itself: no first-post hold, no safety scan, no notifications.
"""

from stories.models import Story
from tests.factories import StoryFactory


def make_post(*, group, author, text: str = "A hard week, but I'm still here.") -> Story:
    """A visible story by `author` in `group` whose text is `text`."""
    return StoryFactory(
        group=group, author=author, title=f"A story by {author.display_name}", body=text
    )


def post_state(post: Story) -> str:
    """The post's moderation state, freshly read: "" visible, "hidden", "hidden-pending", "held"."""
    post.refresh_from_db()
    if post.moderation_state == "visible":
        return ""
    if post.moderation_state == "hidden" and post.hidden_reason == "pending":
        return "hidden-pending"
    return post.moderation_state
