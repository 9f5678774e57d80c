"""The production web server (`python -m peersupport.serve`): who is believed about the client's
address, the health check for any Host, the branded 400, and what the log says."""

import json
import re

import pytest

from peersupport.serve import ConfigurationError, forwarded_allow_ips, main
from tests.peersupport import deploy_server
from tests.peersupport.deploy_server import PROXY_ADDRESS, UNTRUSTED_PEER, failed_sign_in, request

SPOOFED = "203.0.113.9"

# The servers read the test database from another process: it must exist, and what a test
# writes must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_forwarded_allow_ips_refuses_a_wildcard_and_nonsense():
    with pytest.raises(ConfigurationError, match="must not be"):
        forwarded_allow_ips("*")
    with pytest.raises(ConfigurationError, match="must not be"):
        forwarded_allow_ips("172.30.50.10, *")
    with pytest.raises(ConfigurationError, match="not an IP address"):
        forwarded_allow_ips("proxy.example.org")
    assert forwarded_allow_ips("") == ["127.0.0.1"]
    assert forwarded_allow_ips("172.30.50.10, 10.0.0.0/8") == ["172.30.50.10", "10.0.0.0/8"]


def test_serve_exits_with_a_clear_message_on_a_wildcard(monkeypatch, capsys):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    assert main([]) == 2
    assert "FORWARDED_ALLOW_IPS must not be '*'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return deploy_server.collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, static_root, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield from deploy_server.running(tmp_path_factory.mktemp("serve"), static_root)


def _access_lines(server, path_part: str) -> list[str]:
    return [
        line for line in server.log().splitlines() if "uvicorn.access" in line and path_part in line
    ]


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(server):
    # Sign-in failures are limited per address (allauth's login_failed). A client that is not
    # the proxy changes X-Forwarded-For (and the e-mail) on every try: it must still be limited.
    limited_at = None
    for attempt in range(1, 31):
        response = failed_sign_in(
            server.port,
            source=UNTRUSTED_PEER,
            forwarded_for=f"198.18.0.{attempt}",
            email=f"nobody{attempt}@example.org",
        )
        if "Too many failed sign-in attempts" in response.body or (
            "Too many failed login attempts" in response.body
        ):
            limited_at = attempt
            break
    assert limited_at is not None, "a spoofed X-Forwarded-For got past the per-address limit"

    # The proxy's own forwarded address is believed: a new client behind it is not limited.
    response = failed_sign_in(
        server.port, source=PROXY_ADDRESS, forwarded_for="198.51.100.7", email="else@example.org"
    )
    assert "Too many failed" not in response.body

    # The access log shows the real peer, never the address the client made up.
    spoofed = request(server.port, "/help/", headers={"X-Forwarded-For": SPOOFED})
    assert spoofed.status == 200
    lines = _access_lines(server, "/help/")
    assert lines and UNTRUSTED_PEER in lines[-1] and SPOOFED not in server.log()
    assert any("198.51.100.7 " in line for line in _access_lines(server, "/accounts/login/"))


def test_forwarded_proto_is_believed_only_from_the_proxy(tmp_path, static_root, django_db_blocker):
    with django_db_blocker.unblock():
        for server in deploy_server.running(tmp_path, static_root, SECURE_SSL_REDIRECT="true"):
            headers = {"X-Forwarded-Proto": "https", "Host": "peersupport.test"}
            from_proxy = request(server.port, "/help/", source=PROXY_ADDRESS, headers=headers)
            assert from_proxy.status == 200
            assert "max-age=31536000" in from_proxy.headers["Strict-Transport-Security"]
            # Anyone else claiming HTTPS is still sent to HTTPS.
            spoofed = request(server.port, "/help/", source=UNTRUSTED_PEER, headers=headers)
            assert spoofed.status == 301
            assert spoofed.headers["Location"] == "https://peersupport.test/help/"


def test_healthz_answers_for_any_host_and_is_never_redirected(
    tmp_path, static_root, django_db_blocker
):
    with django_db_blocker.unblock():
        for server in deploy_server.running(tmp_path, static_root, SECURE_SSL_REDIRECT="true"):
            for host in ["10.0.3.7:8000", "web", "unknown.example"]:
                response = request(server.port, "/healthz", headers={"Host": host})
                assert response.status in (200, 503), (host, response.status)
                assert json.loads(response.body)["checks"]["database"] == "ok"
            assert "Traceback" not in server.log()
            assert "DisallowedHost" not in server.log()


def test_unknown_host_gets_the_branded_400_and_one_log_line_without_traceback(server):
    response = request(server.port, "/groups/", headers={"Host": "evil.example"})
    assert response.status == 400
    assert "We couldn" in response.body and "handle that request" in response.body
    assert "Traceback" not in response.body
    log = server.log()
    assert "Traceback" not in log
    warnings = [line for line in log.splitlines() if "django.security.DisallowedHost" in line]
    assert len(warnings) == 1 and " WARNING " in warnings[0]


def test_log_lines_carry_time_level_and_logger(server):
    request(server.port, "/")
    line = _access_lines(server, '"GET / HTTP/1.1" 200')[-1]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO uvicorn\.access ", line)
    # A proxied client's port is unknown: no misleading ":0".
    assert ":0 " not in line


def test_json_log_format_for_a_log_collector(tmp_path, static_root, django_db_blocker):
    with django_db_blocker.unblock():
        for server in deploy_server.running(tmp_path, static_root, LOG_FORMAT="json"):
            request(server.port, "/help/")
            records = [json.loads(line) for line in server.log().splitlines() if line.strip()]
    access = [r for r in records if r["logger"] == "uvicorn.access" and "/help/" in r["message"]]
    assert access and access[-1]["level"] == "INFO"
    assert re.match(r"^\d{4}-\d\d-\d\dT", access[-1]["time"])


def test_a_reset_link_in_a_request_path_is_not_logged(server):
    request(server.port, "/accounts/password/reset/key/4-c0ffee-0123456789abcdef/")
    request(server.port, "/accounts/confirm-email/Mzg:1tvS4k:secret-confirmation-key/")
    log = server.log()
    assert "0123456789abcdef" not in log and "secret-confirmation-key" not in log
    assert "/accounts/password/reset/key/[redacted]/" in log


def test_static_files_are_served_without_the_streaming_warning(server):
    page = request(server.port, "/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.body).group(1)
    response = request(server.port, stylesheet)
    assert response.status == 200 and "body" in response.body
    partial = request(server.port, stylesheet, headers={"Range": "bytes=0-9"})
    assert partial.status == 206 and len(partial.body) == 10
    assert "StreamingHttpResponse must consume" not in server.log()
