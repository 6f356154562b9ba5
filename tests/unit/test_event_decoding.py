"""What a consumer does with bytes it receives, before any handler runs."""
import json

import pytest

from services.common.events.contracts import PlanIssued
from services.common.events.envelope import build_event
from services.common.events.received import InvalidEvent, UntrustedEvent, decode_event
from services.common.subscriber import H_EXCHANGE, ConsumerTopology
from tests.support.outbox_fixtures import sample_plan_issued


def body(**changes):
    event = json.loads(build_event(service="plans", event_type="plan.issued.v1", data=sample_plan_issued(),
                                   subject=None, commune_code="07543").to_json_bytes())
    for key, value in changes.items():
        event[key] = value
    return json.dumps(event).encode()


def test_a_valid_event_decodes_to_its_model():
    event = decode_event(body(), "plan.issued.v1")
    assert isinstance(event.data, PlanIssued)
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


def test_an_event_naming_another_source_is_untrusted():
    with pytest.raises(UntrustedEvent) as error:
        decode_event(body(source="/binhdang/reporting"), "plan.issued.v1")
    assert "/binhdang/reporting" in str(error.value)


TOPOLOGY = ConsumerTopology.of("reporting.on_plan_issued", "plan.issued.v1", {"RETRY_DELAYS_SECONDS": "1"})


@pytest.mark.parametrize("exchange,headers", [
    ("plans.events", {}),
    ("plans.events", {H_EXCHANGE: "somewhere.else"}),  # the exchange it came through is what counts
    ("reporting.retries", {H_EXCHANGE: "plans.events"}),  # a copy moved by reporting itself
])
def test_trusted_origins(exchange, headers):
    assert TOPOLOGY.untrusted_because(exchange, headers) is None
    assert TOPOLOGY.first_exchange(exchange, headers) == "plans.events"


@pytest.mark.parametrize("exchange,headers", [
    ("", {}),  # the default exchange: straight into the queue
    ("", {H_EXCHANGE: "plans.events"}),  # the record counts on reporting's own redelivery exchange only
    ("amq.topic", {}),
    ("cases.events", {}),
    ("notifications.retries", {H_EXCHANGE: "plans.events"}),  # another service's redelivery exchange
    ("reporting.retries", {}),
    ("reporting.retries", {H_EXCHANGE: "reporting.retries"}),  # a dead letter that was untrusted already
    ("reporting.retries", {H_EXCHANGE: b"plans.events"}),
    (None, {}),
])
def test_untrusted_origins(exchange, headers):
    assert TOPOLOGY.untrusted_because(exchange, headers)


def test_the_reason_names_no_header_content():
    reason = TOPOLOGY.untrusted_because("reporting.retries", {H_EXCHANGE: "Z" * 10_000})
    assert reason is not None and "Z" * 50 not in reason
