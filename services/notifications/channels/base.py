"""What every channel is: a name, whether it needs an address, and `send`, which answers or raises DeliveryError."""
from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

# what looks like a contact in a provider's answer (servers echo the recipient: "<a@b.vn>: user unknown")
_EMAIL = re.compile(r"[^\s<>\"']+@[^\s<>\"']+")
_PHONE = re.compile(r"\+?\d[\d .-]{6,}\d")


def without_contacts(text: str) -> str:
    """The text with anything that looks like an email address or a phone number masked."""
    return _PHONE.sub("[số]", _EMAIL.sub("[email]", text))


class DeliveryError(Exception):
    """A send that did not go through. `answer` is the provider's, shortened, never a contact detail;
    `permanent` when trying again cannot help (the provider refused this message), else the delivery is retried."""

    def __init__(self, answer: str, *, permanent: bool):
        super().__init__(answer)
        self.answer = without_contacts(answer)[:500]
        self.permanent = permanent


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def contact(self) -> str | None:
        """The contact field a recipient needs for this channel ("email", "phone"); None: none (dev, webhooks)."""
        ...

    def send(self, address: str | None, content: Mapping[str, Any]) -> str:
        """Send `content` (as `services.notifications.dispatch.Dispatcher` made it for this channel);
        the provider's answer."""
        ...


@runtime_checkable
class Batching(Protocol):
    """A channel whose consecutive sends can share a session (email: one SMTP session)."""

    def batch(self) -> AbstractContextManager[None]: ...
