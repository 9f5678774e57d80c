import pytest

from tests.content import make_post


@pytest.fixture
def post(group, member):
    """A visible 'post' by `member` in `group`."""
    return make_post(group=group, author=member)


@pytest.fixture(autouse=True)
def _hold_first_posts(settings):
    """Moderation tests use the real default: a member's first story waits for a facilitator."""
    settings.MODERATION_HOLD_FIRST_POSTS = 1
