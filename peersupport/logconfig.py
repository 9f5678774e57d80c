"""Logging for every process (web, worker, beat): one line per event, with time, level and logger.

`LOG_FORMAT=plain` (the default) writes `2026-11-27T12:00:00.123Z INFO django.request message`;
`LOG_FORMAT=json` writes one JSON object per line for a log collector. The same configuration
goes to Django (settings.LOGGING), to uvicorn (peersupport/serve.py) and to Celery
(peersupport/celery.py), so a deployment has one format everywhere.

Two filters keep secrets and noise out: links that work as a password (e-mail confirmation,
password reset, invitations, unsubscribe) are redacted from every line, and a request with an
unknown Host header is one warning line, not an error with a traceback (scanners send them all
day; they are not our fault).

This module imports nothing of Django, so the web server can configure logging before Django
starts.
"""

import json
import logging
import re
import time
from typing import Any

# Paths whose last part is a secret: whoever has the link can act as the member.
SECRET_PATHS = re.compile(
    r"(?P<prefix>/(?:accounts/confirm-email|accounts/password/reset/key|groups/invite"
    r"|notifications/unsubscribe)/)[^/\s\"?]+"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """Replace the secret part of any sign-in, reset, invitation or unsubscribe link."""
    return SECRET_PATHS.sub(lambda m: m.group("prefix") + REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """Removes secret links from the message (and the traceback text) before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logged as it is
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class QuietDisallowedHostFilter(logging.Filter):
    """An unknown Host header becomes one warning line, without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.security.DisallowedHost":
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class AccessLogFilter(logging.Filter):
    """uvicorn's access line: the client address without the `:0` port of a proxied request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            client = str(record.args[0])
            if client.endswith(":0"):
                record.args = (client[:-2], *record.args[1:])
        return True


def _timestamp(record: logging.LogRecord) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    return f"{seconds}.{int(record.msecs):03d}Z"


class PlainFormatter(logging.Formatter):
    """`<UTC time> <LEVEL> <logger> <message>`, traceback (if any) on the following lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name} {record.getMessage()}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + redact(record.exc_text)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = redact(record.exc_text)
        return json.dumps(data, ensure_ascii=False)


def logging_config(*, level: str = "INFO", fmt: str = "plain") -> dict[str, Any]:
    """A dictConfig for Django, uvicorn and Celery alike."""
    formatter = "json" if fmt == "json" else "plain"
    filters = ["redact_secrets", "quiet_disallowed_host"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact_secrets": {"()": RedactSecretsFilter},
            "quiet_disallowed_host": {"()": QuietDisallowedHostFilter},
            "access": {"()": AccessLogFilter},
        },
        "formatters": {
            "plain": {"()": PlainFormatter},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": filters,
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["access", *filters],
            },
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            "django.request": {"level": "ERROR"},
            "uvicorn": {"handlers": ["console"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
