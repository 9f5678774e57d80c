"""Settings for the worker `make bench-safety` starts: the bench settings, plus (until stories and
chat register their own moderation adapters) the test stand-ins, so the worker can read posts."""

from bench.settings import *  # noqa: F403
from bench.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.moderation.safety_worker_app.SafetyWorkerTestConfig"]
