import json
import uuid
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from services.common.events import registry
from services.common.events.contracts import IssuedUnit, PlanIssued, UnitRole
from services.common.events.envelope import CloudEvent, build_event, exchange_for


def plan_issued() -> PlanIssued:
    return PlanIssued(plan_id=uuid.uuid4(), commune_code="07543", year=2026, version=1, title="Kế hoạch",
                      report_deadline=date(2026, 11, 20), issued_at=datetime(2026, 5, 20, tzinfo=UTC),
                      units=[IssuedUnit(unit_code="VHXH", name="Phòng Văn hoá - Xã hội", role=UnitRole.LEAD,
                                        task_ids=["II.1"])])


def test_envelope_is_plain_json_with_cloudevents_attributes():
    event = build_event(service="plans", event_type="plan.issued.v1", data=plan_issued(), subject="p-1",
                        commune_code="07543", correlation_id="c-1")
    decoded = json.loads(event.to_json_bytes())
    assert decoded["specversion"] == "1.0"
    assert decoded["type"] == "plan.issued.v1"
    assert decoded["source"] == "/binhdang/plans"
    assert decoded["communecode"] == "07543"
    assert decoded["correlationid"] == "c-1"
    assert uuid.UUID(decoded["id"])
    assert decoded["data"]["report_deadline"] == "2026-11-20"
    assert "__type__" not in event.to_json_bytes().decode()  # kombu's wrappers never leak out


def test_envelope_round_trips_and_keeps_vietnamese_text():
    event = build_event(service="plans", event_type="plan.issued.v1", data=plan_issued(), subject=None,
                        commune_code="07543")
    again = CloudEvent.from_json_bytes(event.to_json_bytes())
    assert again == event
    assert "Phòng Văn hoá - Xã hội" in event.to_json_bytes().decode("utf-8")


def test_envelope_rejects_naive_time_and_wrong_specversion():
    base = dict(id=str(uuid.uuid4()), source="/x", type="t", data={})
    with pytest.raises(ValidationError):
        CloudEvent.model_validate({**base, "time": "2026-01-01T00:00:00"})
    with pytest.raises(ValidationError):
        CloudEvent.model_validate({**base, "time": "2026-01-01T00:00:00Z", "specversion": "0.3"})


def test_registry_names_are_unique_versioned_and_routed_to_their_producer_exchange():
    names = [e.name for e in registry.EVENT_TYPES]
    assert len(names) == len(set(names))
    for event in registry.EVENT_TYPES:
        assert event.name.rsplit(".", 1)[-1].startswith("v")
        assert event.exchange == exchange_for(event.producer)
        assert event.routing_key == event.name
        assert registry.for_model(event.model) is event


def test_unknown_event_type_is_an_error():
    with pytest.raises(registry.UnknownEventType):
        registry.get("plan.vanished.v1")


def test_event_data_carries_no_personal_fields():
    forbidden = {"name", "full_name", "phone", "address", "date_of_birth", "dob", "narrative", "victim"}
    for event in registry.EVENT_TYPES:
        fields = set(event.model.model_json_schema().get("properties", {}))
        assert not fields & forbidden, event.name
