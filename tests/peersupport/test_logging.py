"""Logs: time, level and logger on every line; no secret link, ever, with DEBUG off."""

import io
import json
import logging

from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client, override_settings

from peersupport.logconfig import (
    JsonFormatter,
    PlainFormatter,
    QuietDisallowedHostFilter,
    RedactSecretsFilter,
    logging_config,
)
from peersupport.mail import ConsoleEmailBackend

RESET_LINK = "https://peersupport.example.org/accounts/password/reset/key/4-cbx3-0d1e2f3a4b5c/"


def _send_to_console(stream: io.StringIO) -> None:
    backend = ConsoleEmailBackend(stream=stream)
    message = EmailMessage(
        "Reset your password", f"Open this link: {RESET_LINK}", to=["ash@example.org"]
    )
    backend.send_messages([message])


@override_settings(DEBUG=False)
def test_console_email_withholds_the_body_when_debug_is_off():
    stream = io.StringIO()
    _send_to_console(stream)
    output = stream.getvalue()
    assert "0d1e2f3a4b5c" not in output and "ash@example.org" not in output
    assert "Reset your password" in output and "not sent" in output


@override_settings(DEBUG=True)
def test_console_email_prints_everything_in_development():
    stream = io.StringIO()
    _send_to_console(stream)
    assert RESET_LINK in stream.getvalue()


def _handler(formatter: logging.Formatter) -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RedactSecretsFilter())
    handler.addFilter(QuietDisallowedHostFilter())
    return handler, stream


def test_secret_links_are_redacted_from_any_log_line():
    handler, stream = _handler(PlainFormatter())
    logger = logging.getLogger("peersupport.test_logging")
    logger.addHandler(handler)
    try:
        logger.warning("user opened %s", RESET_LINK)
        logger.warning(
            "invite /groups/invite/abcDEF123secret/ and /notifications/unsubscribe/tok3n/"
        )
        logger.warning("confirm /accounts/confirm-email/MTI:1tv:keykeykey/")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    for secret in ["0d1e2f3a4b5c", "abcDEF123secret", "tok3n", "keykeykey"]:
        assert secret not in output
    assert output.count("[redacted]") == 4


def test_an_unknown_host_is_one_warning_line_without_traceback():
    handler, stream = _handler(PlainFormatter())
    logger = logging.getLogger("django.security.DisallowedHost")
    logger.addHandler(handler)
    try:
        response = Client().get("/groups/", HTTP_HOST="evil.example")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 400
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 1 and " WARNING django.security.DisallowedHost " in lines[0]


def test_json_lines_carry_time_level_logger_and_message():
    handler, stream = _handler(JsonFormatter())
    logger = logging.getLogger("peersupport.test_logging")
    logger.addHandler(handler)
    try:
        logger.error("something happened")
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue())
    assert record["level"] == "ERROR" and record["logger"] == "peersupport.test_logging"
    assert record["message"] == "something happened" and record["time"].endswith("Z")


def test_settings_wire_the_filters_into_every_handler(settings):
    config = logging_config(level="INFO", fmt="json")
    for handler in config["handlers"].values():
        assert {"redact_secrets", "quiet_disallowed_host"} <= set(handler["filters"])
        assert handler["formatter"] == "json"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain"
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]


def test_password_reset_email_is_still_sent_in_full_to_the_member(db, client):
    # The member's mailbox gets the link; only logs are kept clean.
    from tests.factories import UserFactory

    UserFactory(email="ash@example.org")
    client.post("/accounts/password/reset/", {"email": "ash@example.org"})
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_celery_workers_and_beat_log_in_the_project_format(settings):
    import logging.config

    from peersupport.celery import _configure_logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        _configure_logging(loglevel="WARNING")
        formatters = [type(h.formatter) for h in root.handlers]
        assert PlainFormatter in formatters
        assert root.level == logging.WARNING
    finally:
        logging.config.dictConfig(settings.LOGGING)
        root.handlers[:] = handlers
        root.setLevel(level)
