import pytest
from django.core.cache import cache

from resources.selectors import HELP_CACHE_KEY


@pytest.fixture(autouse=True)
def fresh_help_cache():
    """The help page caches crisis lines; test transactions never commit, so start clean."""
    cache.delete(HELP_CACHE_KEY)
    yield
    cache.delete(HELP_CACHE_KEY)
