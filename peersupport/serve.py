"""Start the web server (uvicorn: HTTP and WebSocket) the same way everywhere.

    python -m peersupport.serve            # what the Dockerfile and docker-compose.yml run
    python -m peersupport.serve --check    # the container health check: exit 0 if /healthz is 200

Read from the environment:

- FORWARDED_ALLOW_IPS: the proxy addresses (or networks) whose X-Forwarded-For and
  X-Forwarded-Proto headers are believed; comma-separated, default 127.0.0.1. Never `*`: then
  anyone who can reach the server could choose their own address and slip past the per-address
  sign-in limits.
- WEB_HOST (default 0.0.0.0), WEB_PORT (8000), WEB_CONCURRENCY (2 worker processes).
- LOG_LEVEL and LOG_FORMAT, as for Django: access lines go out in the same format.
"""

import argparse
import ipaddress
import os
import sys
import urllib.error
import urllib.request

from peersupport.logconfig import logging_config

DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1"


class ConfigurationError(Exception):
    """A start-up setting is wrong; the message names it."""


def forwarded_allow_ips(raw: str | None) -> list[str]:
    """The trusted proxy addresses, each an IP address or a network; refuses `*`."""
    value = (raw or "").strip() or DEFAULT_FORWARDED_ALLOW_IPS
    entries = [part.strip() for part in value.split(",") if part.strip()]
    for entry in entries:
        if "*" in entry:
            raise ConfigurationError(
                "FORWARDED_ALLOW_IPS must not be '*': list the address of your proxy (for "
                "example 172.30.50.10, the proxy in docker-compose.yml). With '*' anyone can "
                "choose the address the app sees."
            )
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ConfigurationError(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network."
            ) from exc
    return entries


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from exc


def check(port: int, timeout: float = 5.0) -> int:
    """0 when /healthz on this machine answers 200, 1 otherwise (for HEALTHCHECK)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as r:
            return 0 if r.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peersupport.serve", description=__doc__)
    parser.add_argument("--check", action="store_true", help="probe /healthz and exit")
    args = parser.parse_args(argv)
    try:
        port = _int_env("WEB_PORT", 8000)
        if args.check:
            return check(port)
        trusted = forwarded_allow_ips(os.environ.get("FORWARDED_ALLOW_IPS"))
        workers = _int_env("WEB_CONCURRENCY", 2)
        log_format = os.environ.get("LOG_FORMAT", "plain")
        log_level = os.environ.get("LOG_LEVEL", "INFO")
    except ConfigurationError as exc:
        print(f"peersupport.serve: {exc}", file=sys.stderr)
        return 2

    import uvicorn

    uvicorn.run(
        "peersupport.asgi:application",
        host=os.environ.get("WEB_HOST", "0.0.0.0"),
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=trusted,
        ws="websockets-sansio",
        lifespan="off",
        server_header=False,
        log_config=logging_config(level=log_level, fmt=log_format),
        timeout_graceful_shutdown=20,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
