"""What a consumer does with bytes it receives, before any handler runs."""
import json

import pytest

from services.common.events.envelope import build_event
from services.common.subscriber import InvalidEvent, decode_event
from tests.support.outbox_fixtures import sample_plan_issued


def body(**changes):
    event = json.loads(build_event(service="plans", event_type="plan.issued.v1", data=sample_plan_issued(),
                                   subject=None, commune_code="07543").to_json_bytes())
    for key, value in changes.items():
        event[key] = value
    return json.dumps(event).encode()


def test_a_valid_event_decodes_to_its_model():
    event = decode_event(body(), "plan.issued.v1")
    assert event.data.units[0].unit_code == "VHXH"
    assert event.commune_code == "07543"


@pytest.mark.parametrize("raw,why", [
    (b"\xff\xfe not json", "Invalid JSON"),
    (b"[]", "not a CloudEvents envelope"),
    (b'{"specversion": "1.0"}', "not a CloudEvents envelope"),
    (body(type="case.escalated.v1"), "where 'plan.issued.v1' was expected"),
    (body(data={"plan_id": "not-a-uuid"}), "data does not match"),
])
def test_invalid_events_are_refused_with_a_reason(raw, why):
    with pytest.raises(InvalidEvent) as error:
        decode_event(raw, "plan.issued.v1")
    assert why in str(error.value)


def test_reasons_do_not_echo_the_payload():
    raw = body(data={"plan_id": "Nguyễn Thị Lành 0912345678"})
    with pytest.raises(InvalidEvent) as error:
        decode_event(raw, "plan.issued.v1")
    assert "0912345678" not in str(error.value)
