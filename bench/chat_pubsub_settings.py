"""Settings for `python -m bench.chat --layer pubsub`: the same app on channels-redis's
publish/subscribe layer (one Redis message per process per broadcast, fanned out locally)."""
from peersupport.settings import *  # noqa: F401,F403
from peersupport.settings import REDIS_URL, env

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": env.str("CHANNELS_PREFIX", default="ps")},
    }
}
