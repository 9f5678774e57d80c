"""A test-only app for real workers started by the safety tests: it registers the content
stand-ins in the worker process too (the worker is another process, with its own registry)."""

from django.apps import AppConfig


class SafetyWorkerTestConfig(AppConfig):
    name = "tests.moderation"
    label = "safety_worker_test"

    def ready(self) -> None:
        from tests.moderation.safety_support import ensure_adapters

        ensure_adapters()
