"""Email over SMTP: one multipart message (plain text and HTML, UTF-8 subject) per delivery.

STARTTLS and login are configurable (`SMTP_*` settings). Inside `EmailChannel.batch` (a sweep of the email
channel) consecutive messages share one SMTP session; otherwise each message has its own. The Message-ID
is made from the delivery's id, so a retried delivery carries the same one and a mail system that
deduplicates can drop the copy.
"""
from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from services.notifications.channels.base import DeliveryError


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    sender_name: str
    starttls: bool
    username: str | None
    password: str | None
    timeout: float
    # for a server with a private CA (and tests); None: the system's trust store
    ca_file: str | None = None


class EmailChannel:
    name = "email"
    contact = "email"

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        # inside `batch()`, the (green) thread's open session, shared by its consecutive sends
        self._local = threading.local()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Consecutive sends in this block share one SMTP session: connect, STARTTLS and login once."""
        self._local.batching = True
        try:
            yield
        finally:
            self._local.batching = False
            self._close()

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        if not address:
            raise DeliveryError("no email address", permanent=True)
        message = self.compose(address, content)
        try:
            try:
                refused = self._session().send_message(message)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                if not self._local.reused:
                    raise
                self._close()  # the server closed the session kept open since the last message: a new one
                refused = self._session().send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self._close()  # a session that failed is not reused
            raise _failure(error) from None
        if not getattr(self._local, "batching", False):
            self._close()
        if refused:
            raise DeliveryError("SMTP recipient refused", permanent=True)
        return f"accepted as {message['Message-ID']}"

    def _session(self) -> smtplib.SMTP:
        session = getattr(self._local, "session", None)
        self._local.reused = session is not None
        if session is None:
            s = self.settings
            session = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                if s.starttls:
                    session.starttls(context=ssl.create_default_context(cafile=s.ca_file))
                if s.username:
                    session.login(s.username, s.password or "")
            except BaseException:
                session.close()
                raise
            self._local.session = session
        return session

    def _close(self) -> None:
        session, self._local.session = getattr(self._local, "session", None), None
        if session is not None:
            try:
                session.quit()
            except (smtplib.SMTPException, OSError):
                session.close()

    def compose(self, address: str, content: Mapping[str, Any]) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = content["subject"]
        message["From"] = Address(self.settings.sender_name, addr_spec=self.settings.sender)
        message["To"] = address
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{content['message_id']}@{self.settings.sender.rpartition('@')[2] or 'binhdang'}>"
        message.set_content(content["text"], charset="utf-8")
        message.add_alternative(content["html"], subtype="html", charset="utf-8")
        return message


def _failure(error: smtplib.SMTPException | OSError) -> DeliveryError:
    """What a failed send means: the server's answer, and whether trying again can help."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # the server refuses our account, not this message: keep it for when the settings are fixed
        return DeliveryError(f"SMTP login refused ({error.smtp_code})", permanent=False)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return DeliveryError(f"SMTP recipient refused ({', '.join(map(str, codes))})",
                             permanent=all(code >= 500 for code in codes))
    if isinstance(error, smtplib.SMTPSenderRefused):
        # our sender, account or connection (530: STARTTLS or login required), not this message
        return DeliveryError(f"SMTP sender refused ({error.smtp_code}): {_reply(error.smtp_error)}", permanent=False)
    if isinstance(error, smtplib.SMTPResponseException):
        # 55x: this message or mailbox is refused for good; other codes are about the session or the server
        return DeliveryError(f"SMTP {error.smtp_code}: {_reply(error.smtp_error)}",
                             permanent=550 <= error.smtp_code <= 559)
    return DeliveryError(f"SMTP server unreachable: {type(error).__name__}", permanent=False)


def _reply(raw: bytes | str) -> str:
    return (raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw)[:200]
