"""Production settings: refuse to start without a key, and pass Django's deployment checks."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "peersupport" / "settings.py"

# What a production .env must hold at the least.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 10 + "a-long-random-production-key-9f8e7d6c5b4a3928171605f4e3d2c1b0",
    "ALLOWED_HOSTS": "peersupport.example.org",
    "SITE_URL": "https://peersupport.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://peersupport.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SAFETY_PLAN_KEYS": "nqQQ-VuUkE2oIaUW0rCRZsFStosVdWir-OFo5Ei-6Jc=",
}


def _run_manage(*args: str, env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            *PRODUCTION_ENV,
            "EMAIL_HOST",
            "EMAIL_USE_SSL",
            "EMAIL_USE_TLS",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", env_overrides={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def _load_settings(monkeypatch, **env: str) -> dict:
    """Run settings.py with exactly this environment (on top of nothing of the test run's)."""
    for name in [*PRODUCTION_ENV, "EMAIL_HOST", "EMAIL_USE_SSL", "EMAIL_USE_TLS", "EMAIL_PORT"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(
    "missing", ["SITE_URL", "CSRF_TRUSTED_ORIGINS", "SECRET_KEY", "SAFETY_PLAN_KEYS"]
)
def test_production_refuses_to_start_without_each_required_variable(monkeypatch, missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    with pytest.raises(ImproperlyConfigured, match=f"{missing} is not set"):
        _load_settings(monkeypatch, **env)


def test_production_refuses_console_email_unless_chosen_explicitly(monkeypatch):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_BACKEND"}
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST.*EMAIL_BACKEND"):
        _load_settings(monkeypatch, **env)
    # A mail server, or an explicit choice, is enough.
    assert (
        "smtp" in _load_settings(monkeypatch, **env, EMAIL_HOST="smtp.example.org")["EMAIL_BACKEND"]
    )
    chosen = _load_settings(
        monkeypatch, **env, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    assert chosen["EMAIL_BACKEND"] == "peersupport.mail.ConsoleEmailBackend"


def test_production_refuses_a_short_or_repetitive_secret_key(monkeypatch):
    for key in ["short-key", "a" * 60, "abcd" * 20]:
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is too short"):
            _load_settings(monkeypatch, **{**PRODUCTION_ENV, "SECRET_KEY": key})


def test_debug_keeps_its_easy_defaults(monkeypatch):
    loaded = _load_settings(monkeypatch, DEBUG="true")
    assert loaded["SITE_URL"] == "http://127.0.0.1:8000"
    assert loaded["EMAIL_BACKEND"] == "peersupport.mail.ConsoleEmailBackend"


def test_email_over_ssl_on_port_465(monkeypatch):
    loaded = _load_settings(
        monkeypatch, **PRODUCTION_ENV, EMAIL_HOST="smtp.example.org", EMAIL_USE_SSL="true"
    )
    assert loaded["EMAIL_USE_SSL"] is True and loaded["EMAIL_USE_TLS"] is False
    assert loaded["EMAIL_PORT"] == 465
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_SSL and EMAIL_USE_TLS"):
        _load_settings(monkeypatch, **PRODUCTION_ENV, EMAIL_USE_SSL="true", EMAIL_USE_TLS="true")


def test_a_short_secret_key_in_env_stops_manage_py_with_a_clear_message():
    result = _run_manage("check", env_overrides={**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_settings_pass_check_deploy_with_no_findings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_compose_runs_web_worker_beat_postgres_and_redis_with_their_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "proxy"} <= set(services)
    for name in ("web", "worker", "beat"):
        service = services[name]
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["REDIS_URL"].startswith("redis://"), name
        # Everything else (SECRET_KEY first) comes from the deployer's .env.
        assert service["env_file"] == ".env", name
        assert {"postgres", "redis"} <= set(service["depends_on"]), name
    assert "celery" in " ".join(services["worker"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert (ROOT / "Dockerfile").exists()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert 'CMD ["python", "-m", "peersupport.serve"]' in dockerfile
    assert "SECRET_KEY=" in (ROOT / ".env.example").read_text()
