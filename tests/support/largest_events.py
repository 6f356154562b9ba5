"""The largest event of each type that its published JSON Schema allows, built from the schema itself.

Every string at its maxLength (in a three-byte character, or the longest text its pattern allows),
every integer at its maximum, every array at its maxItems, every optional field present. What the
schema does not bound cannot be built: `largest` fails on it, which is the point.
"""
from __future__ import annotations

import json
import uuid

from services.common.events import contracts, docs, registry
from services.common.events.envelope import MAX_ATTRIBUTE_LENGTH, MAX_CORRELATION_ID_LENGTH, build_event

WIDE = "ệ"  # one code point, three bytes in UTF-8

# the longest text each pattern allows; `i` makes the items of an array distinct
LONGEST_MATCH = {
    contracts.COMMUNE_CODE: lambda i: "99999",
    contracts.CODE: lambda i: f"{i}".rjust(64, "U"),
    contracts.CASE_CODE: lambda i: "VV99-ZZZZZZZZ",
    contracts.WORD: lambda i: "".join("abcdefghij"[int(digit)] for digit in str(i)).rjust(32, "z"),
    contracts.TEMPLATE: lambda i: "t" * 64,
    contracts.LOCALITY_TYPE: lambda i: "thi_tran",
    contracts.SHA256: lambda i: f"{i:x}".rjust(64, "f"),
    contracts.EVENT_TYPE: lambda i: "e" * 40 + "." + "f" * 40 + ".v" + f"{i}".rjust(3, "9")[-3:],
}
LAST_DAY = f"{contracts.LAST_YEAR}-12-31"


class Unbounded(AssertionError):
    pass


def largest(schema: dict, defs: dict, path: str = "", index: int = 0):
    if "$ref" in schema:
        return largest(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path, index)
    if "anyOf" in schema:
        present = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
        return largest(present[0], defs, path, index)
    if "enum" in schema:
        return max(schema["enum"], key=lambda value: len(str(value)))
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: largest(sub, defs, f"{path}.{name}".lstrip("."), index)
                for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        if "maxItems" not in schema:
            raise Unbounded(f"{path}: an array without maxItems")
        return [largest(schema["items"], defs, f"{path}[]", i) for i in range(schema["maxItems"])]
    if kind == "integer":
        if "maximum" not in schema or "minimum" not in schema:
            raise Unbounded(f"{path}: an integer without minimum and maximum")
        return schema["maximum"]
    if kind == "boolean":
        return True
    if kind == "number":
        if "maximum" not in schema or "minimum" not in schema:
            raise Unbounded(f"{path}: a number without minimum and maximum")
        return schema["minimum"]  # the longest to write: a minus sign and every digit
    if kind == "string":
        return _longest_string(schema, path, index)
    raise Unbounded(f"{path}: a value of unknown type {schema}")


def _longest_string(schema: dict, path: str, index: int) -> str:
    form = schema.get("format")
    if form == "uuid":
        return str(uuid.uuid4())
    if form == "date-time":
        return f"{LAST_DAY}T23:59:59.999999+00:00"
    if form == "date":
        return LAST_DAY
    if "pattern" in schema:
        if schema["pattern"] not in LONGEST_MATCH:
            raise Unbounded(f"{path}: pattern {schema['pattern']} has no longest example in LONGEST_MATCH")
        text = LONGEST_MATCH[schema["pattern"]](index)
        return text[-schema["maxLength"]:] if "maxLength" in schema else text  # the distinct end kept
    if "maxLength" not in schema:
        raise Unbounded(f"{path}: a string without maxLength, pattern or format")
    suffix = str(index)
    return WIDE * (schema["maxLength"] - len(suffix)) + suffix


def largest_data(event: registry.EventType):
    """The largest data of the event type, validated by its model."""
    schema = docs.event_schema(event)
    data = largest(schema["$defs"][event.model.__name__], schema["$defs"], "data")
    return event.model.model_validate(data)


def largest_body(event: registry.EventType) -> bytes:
    data = largest_data(event)
    envelope = build_event(service=event.producer, event_type=event.name, data=data,
                           subject="s" * MAX_ATTRIBUTE_LENGTH, commune_code=getattr(data, "commune_code", None),
                           correlation_id="c" * MAX_CORRELATION_ID_LENGTH)
    return envelope.to_json_bytes()


def largest_document(event: registry.EventType) -> dict:
    return json.loads(largest_body(event))
