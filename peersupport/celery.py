"""The Celery application. Settings come from Django's settings under the CELERY_ prefix."""

import copy
import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")

app = Celery("peersupport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _configure_logging(loglevel: Any = None, **kwargs: Any) -> None:
    """Workers and beat log in the project's format (LOG_FORMAT), like the web server."""
    from django.conf import settings

    config = copy.deepcopy(settings.LOGGING)
    if loglevel:
        level = loglevel if isinstance(loglevel, str) else logging.getLevelName(loglevel)
        config["root"]["level"] = level
    logging.config.dictConfig(config)
