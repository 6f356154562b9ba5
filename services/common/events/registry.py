"""The registry of every published event type: who produces it, its data model, what it means."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from services.common.events import contracts as c
from services.common.events.envelope import exchange_for


@dataclass(frozen=True)
class EventType:
    name: str            # versioned type, also the routing key, e.g. "case.escalated.v1"
    producer: str        # service whose exchange carries it
    model: type[BaseModel]
    summary: str

    @property
    def exchange(self) -> str:
        return exchange_for(self.producer)

    @property
    def routing_key(self) -> str:
        return self.name


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("plan.issued.v1", "plans", c.PlanIssued,
              "A commune plan was issued; lists its units, their assigned tasks and the report deadline."),
    EventType("unit_report.submitted.v1", "plans", c.UnitReportSubmitted,
              "A unit submitted (a revision of) its yearly result report."),
    EventType("case.reported.v1", "cases", c.CaseReported,
              "A gender-based violence case was reported (pseudonymous)."),
    EventType("case.escalated.v1", "cases", c.CaseEscalated,
              "A case was escalated to a competent authority (pseudonymous)."),
    EventType("notification.delivered.v1", "notifications", c.NotificationDelivered,
              "A notification was delivered to a role-based recipient."),
)

_BY_NAME = {e.name: e for e in EVENT_TYPES}
_BY_MODEL = {e.model: e for e in EVENT_TYPES}


class UnknownEventType(KeyError):
    pass


def get(name: str) -> EventType:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownEventType(name) from None


def for_model(model: type[BaseModel]) -> EventType:
    return _BY_MODEL[model]


def producers() -> list[str]:
    return sorted({e.producer for e in EVENT_TYPES})
