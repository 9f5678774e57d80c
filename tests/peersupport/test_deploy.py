"""The deployment files, parsed: compose, the proxy's configuration, .env.example and README.

There is no Docker engine here, so these read the files the way Docker and nginx would and
check what the deployment relies on. tests/peersupport/test_proxy.py runs the proxy config in a
real nginx when one is available.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "peersupport.conf.template"
APP_SERVICES = ("migrate", "collectstatic", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return environment


def env_example_names() -> set[str]:
    """Every variable .env.example lists, set or commented out (`# NAME=`)."""
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s?([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def readme_table_names() -> set[str]:
    """Every variable in the first column of the README's Configuration table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_the_proxy_is_the_only_service_that_publishes_ports(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert {p.split(":")[-1] for p in services["proxy"]["ports"]} == {"80", "443"}
    assert services["web"]["expose"] == ["8000"]


def test_forwarded_headers_are_trusted_from_the_proxy_address_only(services, compose):
    proxy_address = services["proxy"]["networks"]["backend"]["ipv4_address"]
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    assert proxy_address.startswith(subnet.rsplit(".", 1)[0] + ".")
    for name in APP_SERVICES:
        trusted = _environment(services[name])["FORWARDED_ALLOW_IPS"]
        assert "*" not in trusted
        assert trusted == f"${{FORWARDED_ALLOW_IPS:-{proxy_address}}}"
    assert f"FORWARDED_ALLOW_IPS={proxy_address}" in (ROOT / ".env.example").read_text()
    assert "*" not in (ROOT / "docker-compose.yml").read_text().split("FORWARDED_ALLOW_IPS:")[1]


def test_web_starts_exactly_as_the_dockerfile_says(services):
    # One way to start web: the image's CMD (peersupport/serve.py), never a differing copy.
    assert "command" not in services["web"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "peersupport.serve"]' in dockerfile
    assert "forwarded-allow-ips" not in dockerfile and "uvicorn" not in dockerfile.split("CMD")[-1]


def test_services_start_in_order_once_their_dependencies_are_healthy(services):
    conditions = {
        name: {dep: spec["condition"] for dep, spec in services[name]["depends_on"].items()}
        for name in APP_SERVICES
    }
    for name in APP_SERVICES:
        assert conditions[name]["postgres"] == "service_healthy", name
        assert conditions[name]["redis"] == "service_healthy", name
    for name in ("web", "worker", "beat", "collectstatic"):
        assert conditions[name]["migrate"] == "service_completed_successfully", name
    assert conditions["web"]["collectstatic"] == "service_completed_successfully"
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]


def test_every_long_running_service_has_a_healthcheck(services):
    for name in ("proxy", "web", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "-m",
        "peersupport.serve",
        "--check",
    ]


def test_beat_runs_as_a_single_replica(services):
    assert services["beat"]["deploy"]["replicas"] == 1


def test_no_password_or_secret_is_written_into_compose(services):
    text = (ROOT / "docker-compose.yml").read_text()
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    for name in APP_SERVICES:
        assert services[name]["env_file"] == ".env", name
        assert "SECRET_KEY" not in _environment(services[name]), name
    assert "peersupport:peersupport@" not in text
    assert "SECRET_KEY" not in text


def test_the_proxy_serves_the_collected_static_files(services):
    volumes = services["proxy"]["volumes"]
    assert "static:/srv/static:ro" in volumes
    assert "./deploy/nginx/templates:/etc/nginx/templates:ro" in volumes
    assert any(v.endswith(":/etc/nginx/certs/fullchain.pem:ro") for v in volumes)
    assert any(v.endswith(":/etc/nginx/certs/privkey.pem:ro") for v in volumes)
    for name in APP_SERVICES:
        assert _environment(services[name])["STATIC_ROOT"] == "/srv/static"
    assert services["collectstatic"]["command"][-2:] == ["collectstatic", "--noinput"]


def test_every_variable_compose_reads_is_listed_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert used, "compose reads its settings from .env"
    assert used <= env_example_names(), used - env_example_names()


def test_readme_variable_table_and_env_example_agree():
    in_readme, in_example = readme_table_names(), env_example_names()
    assert "SECRET_KEY" in in_readme and "FORWARDED_ALLOW_IPS" in in_readme
    assert in_readme - in_example == set(), "in the README table but not in .env.example"
    assert in_example - in_readme == set(), "in .env.example but not in the README table"


def test_env_example_leaves_the_secrets_empty():
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    assert values["SECRET_KEY"] == "" and values["POSTGRES_PASSWORD"] == ""
    assert values["SAFETY_PLAN_KEYS"] == ""
    assert values["FORWARDED_ALLOW_IPS"] != "*"


# --- the proxy's configuration -----------------------------------------------------------------


def _locations(config: str) -> dict[str, str]:
    """Each `location … { … }` body of the config, by its pattern (no nested blocks here)."""
    config = re.sub(r"#[^\n]*", "", config)
    return {
        match.group(1).strip(): match.group(2)
        for match in re.finditer(r'location\s+((?:"[^"]*"|[^{"])+)\{([^}]*)\}', config)
    }


def test_proxy_config_sets_the_headers_the_app_needs():
    config = NGINX_TEMPLATE.read_text()
    locations = _locations(config)
    proxied = {pattern: body for pattern, body in locations.items() if "proxy_pass" in body}
    assert {"/", "/ws/", "= /healthz"} <= set(proxied)
    for pattern, body in proxied.items():
        assert "proxy_pass http://peersupport_web;" in body, pattern
        assert "proxy_set_header Host $host;" in body, pattern
        # Replaced, not appended: what the client sent is thrown away.
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in body, pattern
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in body, pattern
    websocket = proxied["/ws/"]
    assert "proxy_set_header Upgrade $http_upgrade;" in websocket
    assert "proxy_set_header Connection $connection_upgrade;" in websocket
    assert "proxy_http_version 1.1;" in config
    assert "proxy_next_upstream error timeout" in proxied["/"]
    assert "$proxy_add_x_forwarded_for" not in config


def test_proxy_config_reaches_web_by_service_name_and_terminates_tls():
    config = NGINX_TEMPLATE.read_text()
    assert re.search(r"upstream peersupport_web \{[^}]*server web:8000 resolve;", config)
    assert "resolver 127.0.0.11" in config
    assert "listen 443 ssl" in config
    assert "ssl_certificate     /etc/nginx/certs/fullchain.pem;" in config
    assert "ssl_certificate_key /etc/nginx/certs/privkey.pem;" in config
    assert "return 301 https://${SERVER_NAME}$request_uri;" in config


def test_proxy_serves_static_files_with_long_cache_headers():
    locations = _locations(NGINX_TEMPLATE.read_text())
    hashed = next(body for pattern, body in locations.items() if pattern.startswith("~"))
    assert "root /srv;" in hashed
    assert "max-age=31536000, immutable" in hashed
    assert "root /srv;" in locations["/static/"]


def test_readme_walks_a_volunteer_through_deploying():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    steps = [
        "cp .env.example .env",
        "docker compose up -d",
        "manage.py create_admin --email",
        "manage.py seed_crisis_lines",
        "/healthz",
        "pg_dump -U peersupport",
        "pg_restore",
        "git pull",
        "X-Forwarded-Proto",
        "FORWARDED_ALLOW_IPS",
    ]
    positions = [section.index(step) for step in steps[:8]]
    assert positions == sorted(positions), "the steps are in the order a deployer needs them"
    for step in steps[8:]:
        assert step in section
