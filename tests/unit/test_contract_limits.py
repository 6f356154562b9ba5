"""Every published event schema bounds what it carries, and its largest event is one a consumer accepts.

The consumers' columns are checked against these limits in tests/integration/test_contract_limits.py.
"""
import json
from pathlib import Path

import jsonschema
import pytest

from services.common.events import registry
from services.common.events.received import MAX_EVENT_BYTES, decode_event
from tests.support.largest_events import Unbounded, largest, largest_body

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"
EVENTS = [pytest.param(event, id=event.name) for event in registry.EVENT_TYPES]


@pytest.mark.parametrize("event", EVENTS)
def test_the_largest_event_is_schema_valid_and_accepted(event):
    body = largest_body(event)
    schema = json.loads((DOCS / f"{event.name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.loads(body))
    assert len(body) <= MAX_EVENT_BYTES
    decode_event(body, event.name)


def test_a_value_the_schema_does_not_bound_is_found():
    with pytest.raises(Unbounded, match="title: a string without maxLength"):
        largest({"type": "object", "properties": {"title": {"type": "string"}}}, {})
    with pytest.raises(Unbounded, match="count: an integer without minimum and maximum"):
        largest({"type": "object", "properties": {"count": {"type": "integer", "minimum": 0}}}, {})
    with pytest.raises(Unbounded, match=r"codes: an array without maxItems"):
        largest({"type": "object", "properties": {"codes": {"type": "array", "items": {"type": "boolean"}}}}, {})


def test_events_the_schema_refuses_are_refused_by_the_consumer():
    from services.common.events.received import InvalidEvent

    document = json.loads(largest_body(registry.get("plan.issued.v1")))
    for change in ({"title": "ệ" * 1001}, {"version": 2**31}, {"issued_at": "2101-01-01T00:00:00Z"},
                   {"issued_at": "2026-01-01T00:00:00"}, {"units": document["data"]["units"][:1] * 2}):
        broken = {**document, "data": {**document["data"], **change}}
        with pytest.raises(InvalidEvent):
            decode_event(json.dumps(broken).encode(), "plan.issued.v1")
