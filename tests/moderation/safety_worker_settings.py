"""Settings for a real Celery worker started by the safety tests (test code only): the test
settings as they are; stories and chat register their moderation adapters in the worker too."""

from peersupport.settings_test import *  # noqa: F403
