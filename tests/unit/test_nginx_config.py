"""deploy/nginx/nginx.conf, the reverse proxy in front of the services: nginx itself accepts it
(`nginx -t`, with a throw-away certificate where the compose secrets would be), it routes each
documented API path to the service that serves it (as the Kubernetes Ingress does), and it sets the
limits the services rely on."""
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.common.config import DEFAULT_PORTS
from services.plans import attachments, importing
from tests.support.api_paths import OPERATIONAL_PATHS, documented_paths

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "nginx.conf"
SECRETS = "/run/secrets/"  # where compose mounts the tls_certificate and tls_key secrets


def directives(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", CONFIG.read_text(encoding="utf-8"), re.M)


def self_signed(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "binhdang.test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (folder / "tls_certificate").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "tls_key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    assert nginx, "nginx is not installed: apt-get install -y --no-install-recommends nginx-light (.ci/run does)"
    self_signed(tmp_path)
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count(SECRETS) == 2
    (tmp_path / "nginx.conf").write_text(text.replace(SECRETS, f"{tmp_path}/"), encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-e", "stderr", "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def routes() -> list[tuple[str, str]]:
    """(regular expression, service) of each API location, in the order nginx tries them."""
    found = []
    for pattern, body in re.findall(r"location ~ (\S+) \{(.*?)\}", CONFIG.read_text(encoding="utf-8"), re.S):
        [upstream] = re.findall(r"set \$upstream (\S+);", body)
        assert "proxy_pass http://$upstream;" in body and "rewrite" not in body
        host, port = upstream.split(":")
        assert DEFAULT_PORTS[host] == int(port), upstream
        found.append((pattern, host))
    return found


def routed_to(path: str) -> str | None:
    """The service of the first regular-expression location that matches, as nginx chooses."""
    return next((service for pattern, service in routes() if re.search(pattern, path)), None)


def test_each_api_path_reaches_its_service_as_in_kubernetes_and_nothing_else_is_routed():
    wrong = {}
    for path, service in documented_paths().items():
        expected = None if path in OPERATIONAL_PATHS else service
        if routed_to(path) != expected:
            wrong[path] = routed_to(path)
    assert wrong == {}
    assert all(pattern.endswith(("(/|$)", "$")) for pattern, _ in routes())  # whole path segments
    assert routed_to("/v1/communes/07543/years/2026/report") == "reporting"
    assert routed_to("/v1/planning") is None and routed_to("/metrics") is None


def test_it_listens_with_tls_only_and_limits_sizes_rates_and_time_outs():
    assert directives("listen") == ["443 ssl"]
    assert directives("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    sizes = directives("client_max_body_size")
    assert sizes[0] == "1m"  # JSON bodies, as the services' own limit
    upload_mb = int(sizes[1].removesuffix("m"))
    assert upload_mb * 1024 * 1024 > max(importing.MAX_DOCUMENT_BYTES, attachments.MAX_ATTACHMENT_BYTES)
    assert len(directives("limit_req_zone")) == 2 and directives("limit_req")
    assert directives("limit_conn")
    for timeout in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        assert directives(timeout), timeout


@pytest.mark.parametrize("status", [413, 429, 503])
def test_its_own_refusals_are_json(status):
    text = CONFIG.read_text(encoding="utf-8")
    [body] = re.findall(rf"return {status} '(.*?)';", text)
    assert f'"status":{status}' in body


def prefix_locations() -> dict[str, str]:
    """Prefix and exact locations (`location / {`, `location = /bao-cao {`) -> their body."""
    text = CONFIG.read_text(encoding="utf-8")
    return {f"{kind or ''}{path}": body for kind, path, body in
            re.findall(r"location (=\s)?(/[^\s~{]*) \{(.*?)\}", text, re.S)}


def test_the_web_pages_are_everything_else_and_no_probe_or_unknown_api_path_reaches_it():
    locations = prefix_locations()
    assert "set $upstream web:8000;" in locations["/"] and "proxy_pass http://$upstream;" in locations["/"]
    report = locations["= /bao-cao"]
    assert "set $upstream web:8000;" in report
    assert int(re.findall(r"client_max_body_size (\d+)m;", report)[0]) * 1024 * 1024 > \
        attachments.MAX_ATTACHMENT_BYTES
    assert "return 404" in locations["/v1/"]
    for probe in ("/health", "/ready", "/metrics", "/openapi.json"):
        assert "return 404" in locations[f"= {probe}"], probe
