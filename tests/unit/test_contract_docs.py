"""The committed contract files must be exactly what the models generate (`binhdang docs`)."""
import json
from pathlib import Path

import jsonschema
import yaml

from services import docs
from services.common.events import docs as event_docs
from services.common.events import registry
from services.common.events.envelope import build_event

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_committed_docs_match_the_models():
    stale = [path for path, content in docs.render_all().items()
             if not (DOCS / path).exists() or (DOCS / path).read_text(encoding="utf-8") != content]
    assert not stale, f"regenerate with `binhdang docs`: {stale}"


def test_no_orphan_schema_files():
    generated = {Path(p).name for p in docs.render_all() if p.startswith("events/")}
    committed = {p.name for p in (DOCS / "events").glob("*.schema.json")}
    assert committed == generated


def test_asyncapi_declares_every_event_with_its_amqp_exchange():
    document = yaml.safe_load((DOCS / "asyncapi.yaml").read_text(encoding="utf-8"))
    assert document["asyncapi"].startswith("3.")
    by_address = {c["address"]: c for c in document["channels"].values()}
    for event in registry.EVENT_TYPES:
        binding = by_address[event.name]["bindings"]["amqp"]
        assert binding["is"] == "routingKey"
        assert binding["exchange"] == {"name": event.exchange, "type": "topic", "durable": True,
                                       "autoDelete": False, "vhost": "/"}


def test_schemas_are_valid_and_accept_what_the_producer_builds():
    from tests.unit.test_envelope_and_registry import plan_issued

    schema = json.loads((DOCS / "events" / "plan.issued.v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    event = build_event(service="plans", event_type="plan.issued.v1", data=plan_issued(), subject="x",
                        commune_code="07543")
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(json.loads(event.to_json_bytes()))
    broken = json.loads(event.to_json_bytes())
    del broken["data"]["report_deadline"]
    assert list(validator.iter_errors(broken))


def test_every_schema_checks_its_own_type():
    for event in registry.EVENT_TYPES:
        schema = event_docs.event_schema(event)
        assert schema["properties"]["type"] == {"const": event.name}
        jsonschema.Draft202012Validator.check_schema(schema)
