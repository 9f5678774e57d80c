"""Settings for a real Celery worker started by the safety tests (test code only)."""

from peersupport.settings_test import *  # noqa: F403
from peersupport.settings_test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.moderation.safety_worker_app.SafetyWorkerTestConfig"]
