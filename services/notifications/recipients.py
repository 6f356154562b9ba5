"""Who a role-based notification reaches: the contact points of the commune's unit directory, which plans owns.

Contact details never travel on the event bus (other provincial systems read it): notifications asks plans
by RPC (`plans.unit_directory`, see service.ask_plans) when it records a notification (before the transaction),
with a short-lived token of its own for that commune; the contacts are kept on the notification's deliveries only
(shown masked). It keeps the answer for DIRECTORY_CACHE_SECONDS (no copy in its database, so a changed contact
is used within that time and nothing has to be kept in step with directory events).

- A unit reporter: the contact points of its unit (the unit's official mailbox, number, Zalo).
- Commune staff: the contact points whose role is the recipient's role (commune_officer, commune_leader,
  case_worker) on any unit of the commune (usually Văn phòng HĐND và UBND).
If plans cannot be asked, the notification is recorded without contacts (the in-app inbox has it anyway)
and a warning is logged, without any address.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from services.common.roles import Role
from services.notifications.dispatch import Contacts

log = logging.getLogger(__name__)

DIRECTORY_CACHE_SECONDS = 60.0
RETRY_SECONDS = 5.0  # after a failed call, plans is asked again this much later


@dataclass(frozen=True)
class Contact:
    channel: str  # email, sms, zalo (as plans' contact points name them)
    address: str



def contacts_of(units: list[dict], role: Role, unit_code: str | None) -> tuple[Contact, ...]:
    """The recipient's contacts in the commune's directory (`units` as plans.unit_directory answers)."""
    if role is Role.UNIT_REPORTER:
        points = [p for u in units if u.get("code") == unit_code for p in u.get("contact_points") or []]
    else:
        points = [p for u in units for p in u.get("contact_points") or [] if p.get("role") == role.value]
    return tuple(dict.fromkeys(Contact(p["channel"], p["address"]) for p in points
                               if p.get("address") and p.get("channel") != "in_app"))


class Directory:
    """Contacts of recipients, from plans, each commune's directory kept for a short while."""

    def __init__(self, fetch: Callable[[str], list[dict]], cache_seconds: float = DIRECTORY_CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._cached: dict[str, tuple[float, list[dict]]] = {}
        self._lock = threading.Lock()

    def contacts(self, commune_code: str, role: Role, unit_code: str | None) -> tuple[Contact, ...]:
        return contacts_of(self._units(commune_code), role, unit_code)

    def _units(self, commune_code: str) -> list[dict]:
        with self._lock:
            cached = self._cached.get(commune_code)
        if cached and self._monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        try:
            units = self._fetch(commune_code)
        except Exception as exc:  # plans down or refusing: deliver without contacts, and say so
            log.warning("could not read the unit directory from plans (%s); delivering without contacts",
                        type(exc).__name__, extra={"commune_code": commune_code})
            units = cached[1] if cached else []
            with self._lock:  # not asked again for every notification while plans is away
                self._cached[commune_code] = (self._monotonic() - self._cache_seconds + RETRY_SECONDS, units)
            return units
        with self._lock:
            self._cached[commune_code] = (self._monotonic(), units)
        return units


def contacts_for(contacts: tuple[Contact, ...]) -> Contacts:
    """What the channels send to: the first email, and the first number (SMS, or Zalo: ZNS sends to a phone)."""
    email = next((c.address for c in contacts if c.channel == "email"), None)
    phone = next((c.address for c in contacts if c.channel in ("sms", "zalo")), None)
    return Contacts(email=email, phone=phone)
