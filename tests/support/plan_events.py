"""Plans events as they cross the wire, for tests and benchmarks of their consumers."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from pydantic import BaseModel

from services.common.events import registry
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitRole
from services.common.events.envelope import build_event
from tests.support.broker import publish_raw


def units(codes: list[str]) -> list[IssuedUnit]:
    return [IssuedUnit(unit_code=code, name=f"Đơn vị {code}", role=UnitRole.COORDINATING, task_ids=["TC-1.1"])
            for code in codes]


def plan_issued(commune: str, unit_codes: list[str], *, plan_id: uuid.UUID | None = None, year: int = 2026,
                version: int = 1, deadline: date = date(2026, 11, 20), issued_at: datetime | None = None) -> PlanIssued:
    return PlanIssued(plan_id=plan_id or uuid.uuid4(), commune_code=commune, year=year, version=version,
                      title="Kế hoạch", report_deadline=deadline, units=units(unit_codes),
                      issued_at=issued_at or datetime.now(UTC))


def wire(data: BaseModel, at: datetime | None = None) -> tuple[uuid.UUID, bytes]:
    """The event id and CloudEvents JSON body the producer's relay would publish for `data` (its
    `time`: `at`, or now)."""
    event_type = registry.for_model(type(data))
    event = build_event(service=event_type.producer, event_type=event_type.name, data=data, subject=None,
                        commune_code=getattr(data, "commune_code", None), at=at)
    return event.id, event.to_json_bytes()


def publish(amqp_uri: str, data: BaseModel) -> uuid.UUID:
    """Publish `data` as its producer would (its exchange, routed by its type); returns the event id."""
    event_type = registry.for_model(type(data))
    event_id, body = wire(data)
    publish_raw(amqp_uri, event_type.exchange, event_type.routing_key, body, message_id=str(event_id))
    return event_id
