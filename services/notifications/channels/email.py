"""Email over SMTP: one multipart message (plain text and HTML, UTF-8 subject) per delivery.

STARTTLS and login are configurable (`SMTP_*` settings). The Message-ID is made from the delivery's id, so a
retried delivery carries the same one and a mail system that deduplicates can drop the copy.
"""
from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
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

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        if not address:
            raise DeliveryError("no email address", permanent=True)
        message = self.compose(address, content)
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=s.ca_file))
                if s.username:
                    smtp.login(s.username, s.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as error:
            # the server refuses our account, not this message: keep it for when the settings are fixed
            raise DeliveryError(f"SMTP login refused ({error.smtp_code})", permanent=False) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(f"SMTP recipient refused ({', '.join(map(str, codes))})",
                                permanent=all(code >= 500 for code in codes)) from None
        except smtplib.SMTPSenderRefused as error:
            # our sender, account or connection (530: STARTTLS or login required), not this message
            raise DeliveryError(f"SMTP sender refused ({error.smtp_code}): {_reply(error.smtp_error)}",
                                permanent=False) from None
        except smtplib.SMTPResponseException as error:
            # 55x: this message or mailbox is refused for good; other codes are about the session or the server
            raise DeliveryError(f"SMTP {error.smtp_code}: {_reply(error.smtp_error)}",
                                permanent=550 <= error.smtp_code <= 559) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"SMTP server unreachable: {type(error).__name__}", permanent=False) from None
        if refused:
            raise DeliveryError("SMTP recipient refused", permanent=True)
        return f"accepted as {message['Message-ID']}"

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


def _reply(raw: bytes | str) -> str:
    return (raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw)[:200]
