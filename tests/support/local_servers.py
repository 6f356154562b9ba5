"""Real servers of the channels' protocols, in the test process: SMTP (aiosmtpd) and a scripted HTTP endpoint."""
from __future__ import annotations

import email
import email.policy
import json
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.support.service_http import free_port


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` behind a ThreadingHTTPServer on a free local port, for the block: its base address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class _Mailbox:
    def __init__(self, reply: str):
        self.reply = reply
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.sessions = 0  # EHLOs: one per SMTP session (two with STARTTLS)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply.startswith("550 ") and "unknown" in self.reply:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if not self.reply.startswith("250"):
            return self.reply
        raw = envelope.original_content or envelope.content
        self.raw.append(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a free port. `reply` scripts the answer to DATA (e.g. "451 try later"); with `tls_dir`, it
    offers STARTTLS with a self-signed certificate and requires login (user/secret) after it."""

    def __init__(self, *, reply: str = "250 OK", tls_dir: Path | None = None, user: str = "", secret: str = ""):
        self.mailbox = _Mailbox(reply)
        self.port = free_port()
        self.ca_file: str | None = None
        options: dict = {}
        if tls_dir is not None:
            self.ca_file, context = _self_signed(tls_dir)
            options = dict(tls_context=context, require_starttls=True, auth_require_tls=True,
                           authenticator=_Authenticator(user, secret), auth_required=True)
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class _Authenticator:
    def __init__(self, user: str, secret: str):
        self.user, self.secret = user.encode(), secret.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = getattr(auth_data, "login", None) == self.user and getattr(auth_data, "password", None) == self.secret
        return AuthResult(success=ok)


def _self_signed(folder: Path) -> tuple[str, ssl.SSLContext]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=1))
                   .not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp.pem", folder / "smtp.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return str(cert_file), context


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode("ascii")))


@dataclass
class Script:
    """What the endpoint answers: (status, body) in turn (the last one repeats); `delay` seconds before each."""
    answers: list[tuple[int, str]] = field(default_factory=lambda: [(200, '{"ok": true}')])
    delay: float = 0.0


class HttpEndpoint:
    """A local HTTP server that records every POST and answers as its script says (errors, slow answers)."""

    def __init__(self, script: Script | None = None):
        self.script = script or Script()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with endpoint._lock:
                    endpoint.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    index = min(len(endpoint.received), len(endpoint.script.answers)) - 1
                    status, answer = endpoint.script.answers[index]
                time.sleep(endpoint.script.delay)
                data = answer.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HttpEndpoint:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

