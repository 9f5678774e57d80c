import pytest
from django.core.cache import cache

from tests.moderation.standin import make_post, register_standin, unregister_standin


@pytest.fixture(autouse=True)
def standin_content():
    """Register the stand-in content adapter for the test, and clear report rate limits."""
    register_standin()
    cache.clear()
    yield
    unregister_standin()
    cache.clear()


@pytest.fixture
def post(group, member):
    """A visible 'post' by `member` in `group`."""
    return make_post(group=group, author=member)
