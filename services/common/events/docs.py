"""Generate the published contract from the models: docs/asyncapi.yaml and docs/events/<type>.schema.json.

`services/docs.py` writes them with the OpenAPI documents (`binhdang docs`).
"""
from __future__ import annotations

import json
import re

import yaml

from services.common.events import registry
from services.common.events.contracts import COMMUNE_CODE
from services.common.events.envelope import (
    CONTENT_TYPE,
    MAX_ATTRIBUTE_LENGTH,
    MAX_CORRELATION_ID_LENGTH,
    SPEC_VERSION,
    schema_uri,
    source_for,
)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ASYNCAPI_SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"
AMQP_BINDING_VERSION = "0.3.0"


def _identifier(event_name: str) -> str:
    """`case.escalated.v1` -> `caseEscalatedV1` (AsyncAPI ids allow no dots)."""
    parts = re.split(r"[._]", event_name)
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def event_schema(event: registry.EventType) -> dict:
    data_schema = event.model.model_json_schema(ref_template="#/$defs/{model}")
    defs = data_schema.pop("$defs", {})
    defs[event.model.__name__] = data_schema
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_uri(event.name),
        "title": event.name,
        "description": f"{event.summary} CloudEvents 1.0 structured JSON; routing key `{event.routing_key}` "
                       f"on exchange `{event.exchange}`.",
        "type": "object",
        # an event about no commune (a webhook subscription, province-wide) carries no communecode
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype",
                     *(["communecode"] if "commune_code" in event.model.model_fields else []), "data"],
        "properties": {
            "specversion": {"const": SPEC_VERSION},
            "id": {"type": "string", "format": "uuid", "description": "Unique per event; deduplicate on it."},
            "source": {"const": source_for(event.producer)},
            "type": {"const": event.name},
            "time": {"type": "string", "format": "date-time"},
            "subject": {"type": "string", "maxLength": MAX_ATTRIBUTE_LENGTH,
                        "description": "Id or pseudonymous code of the thing the event is about."},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"const": schema_uri(event.name)},
            "communecode": {"type": "string", "pattern": COMMUNE_CODE,
                            "description": "Administrative unit code of the commune (extension attribute)."},
            "correlationid": {"type": "string", "maxLength": MAX_CORRELATION_ID_LENGTH,
                              "description": "Follows one request through the events it causes (extension)."},
            "data": {"$ref": f"#/$defs/{event.model.__name__}"},
        },
        "additionalProperties": True,
        "$defs": dict(sorted(defs.items())),
    }


def asyncapi_document() -> dict:
    channels, operations, messages = {}, {}, {}
    for event in registry.EVENT_TYPES:
        ident = _identifier(event.name)
        messages[ident] = {
            "name": event.name,
            "title": event.name,
            "summary": event.summary,
            "contentType": CONTENT_TYPE,
            "payload": {"schemaFormat": ASYNCAPI_SCHEMA_FORMAT, "schema": event_schema(event)},
            "bindings": {"amqp": {"messageType": event.name, "bindingVersion": AMQP_BINDING_VERSION}},
        }
        channels[ident] = {
            "address": event.routing_key,
            "title": f"{event.name} on {event.exchange}",
            "messages": {ident: {"$ref": f"#/components/messages/{ident}"}},
            "bindings": {"amqp": {
                "is": "routingKey",
                "exchange": {"name": event.exchange, "type": "topic", "durable": True, "autoDelete": False,
                             "vhost": "/"},
                "bindingVersion": AMQP_BINDING_VERSION,
            }},
        }
        operations[f"publish{ident[:1].upper()}{ident[1:]}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{ident}"},
            "summary": f"{event.producer} publishes {event.name}.",
            "messages": [{"$ref": f"#/channels/{ident}/messages/{ident}"}],
            "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": AMQP_BINDING_VERSION}},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Bình Đẳng events",
            "version": "1.0.0",
            "description": (
                "Events of the Bình Đẳng platform (plans, cases, notifications, reporting). Each producer "
                "publishes to its own durable topic exchange `<service>.events`; the routing key is the "
                "versioned event type. Bodies are CloudEvents 1.0 structured JSON with the extension "
                "attributes `communecode` and `correlationid`. Messages are persistent; deliveries are "
                "at-least-once, so deduplicate on the CloudEvents `id`. No event carries personal data. "
                "A change that is not backward and forward compatible is published under a new `.vN` type, "
                "alongside the old one for a deprecation period."),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {"provincial": {"host": "rabbitmq:5672", "protocol": "amqp", "protocolVersion": "0.9.1",
                                   "description": "The data center's RabbitMQ.",
                                   "security": [{"$ref": "#/components/securitySchemes/subscriber"}]}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "securitySchemes": {"subscriber": {
            "type": "userPassword",
            "description": (
                "A broker user of your own, from the data center's operators. Its name prefixes the only "
                "queues it may declare, bind and read (`<name>.*`), bound to the `<service>.events` "
                "exchanges; it may publish nowhere. Each event's producer is its exchange and `source`."),
        }}},
    }


def render_all() -> dict[str, str]:
    """Relative path -> file content, for everything generated."""
    files = {"asyncapi.yaml": yaml.safe_dump(asyncapi_document(), sort_keys=False, allow_unicode=True, width=100)}
    for event in registry.EVENT_TYPES:
        files[f"events/{event.name}.schema.json"] = json.dumps(event_schema(event), ensure_ascii=False,
                                                               indent=2) + "\n"
    return files
