import pytest
from channels.layers import channel_layers
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_flood_counters_and_layer(settings):
    """Flood counters live in the cache; every test starts with none.

    Each test runs its own event loop, and a channels-redis layer binds its locks to the loop
    that first used it, so every test gets a fresh layer too.
    """
    settings.CHAT_PRESENCE_DEBOUNCE_SECONDS = 0.05
    cache.clear()
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
