"""The demo's own SMTP server and SMS gateway, in the demo's process on free local ports: the notifications
service sends real emails (SMTP) and SMS (HTTP POST) to them, no outside network, and the demo shows what came.
"""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from email.message import EmailMessage
from email.utils import parseaddr
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalMailServer:
    """aiosmtpd keeping every email it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class LocalSmsGateway:
    """An HTTP server in a thread that takes the SMS channel's JSON posts as a brandname gateway would."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                gateway.messages.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
                answer = b'{"code": 0, "message": "accepted"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:  # the demo prints its own summary
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms"

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def channel_settings(mail: LocalMailServer, sms: LocalSmsGateway) -> dict[str, str]:
    """The notifications service's settings that send to them (the file channel too, as the demo always had)."""
    return {"NOTIFICATION_CHANNELS": "email,sms,file", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mail.port),
            "SMTP_STARTTLS": "false", "SMS_GATEWAY_URL": sms.url, "SMS_BODY_FORMAT": "json"}


def mask(address: str) -> str:
    """An address with most of it hidden: the demo's contacts are role mailboxes, but printed output stays lean."""
    name, at, domain = address.partition("@")
    return (name[:2] + "***" + at + domain) if at else address[:4] + "****" + address[-2:]


COMMUNE_STAFF = ("commune_officer", "commune_leader", "case_worker")


def contact_points(unit_code: str, index: int) -> list[dict]:
    """The demo's contacts of a unit: its reporting officer's official mailbox and number; the commune staff's
    on the UBND office (VP), where a commune keeps them. Made-up addresses under the demo's own domain."""
    def both(role: str, number: int) -> list[dict]:
        mailbox = f"{role.replace('_', '-')}.{unit_code.lower()}@sonhai.demo"
        return [{"role": role, "channel": "email", "address": mailbox},
                {"role": role, "channel": "sms", "address": f"0912{number:06d}"}]
    points = both("reporting_officer", index)
    if unit_code == "VP":
        points += [p for n, role in enumerate(COMMUNE_STAFF, start=900) for p in both(role, n)]
    return points


def summary(mail: LocalMailServer, sms: LocalSmsGateway) -> list[str]:
    """Lines for the demo's output: how many arrived and one of each."""
    lines = [f"channels      local SMTP server received {len(mail.messages)} emails; "
             f"local SMS gateway received {len(sms.messages)} SMS"]
    if mail.messages:
        first = mail.messages[0]
        lines.append(f"                email to {mask(parseaddr(str(first['To']))[1])}: {first['Subject']}")
    if sms.messages:
        first_sms = sms.messages[0]
        lines.append(f"                SMS to {mask(str(first_sms.get('phone', '')))}: {first_sms.get('message', '')}")
    return lines
