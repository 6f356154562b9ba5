"""Each event handler is typed with the model of the event it subscribes to."""
import typing

import pytest

from services.common.events import registry
from services.common.events.received import ReceivedEvent
from services.ops.topology import subscriptions

SUBSCRIPTIONS = subscriptions()


def test_every_service_that_consumes_is_found():
    assert {cls.name for cls, _, _ in SUBSCRIPTIONS} == {"plans", "notifications", "reporting"}


@pytest.mark.parametrize("cls,handler,entrypoint", SUBSCRIPTIONS,
                         ids=[f"{cls.name}.{handler}" for cls, handler, _ in SUBSCRIPTIONS])
def test_a_handler_is_annotated_with_the_model_of_its_event_type(cls, handler, entrypoint):
    annotation = typing.get_type_hints(getattr(cls, handler))["event"]
    assert typing.get_origin(annotation) is ReceivedEvent
    assert typing.get_args(annotation) == (registry.get(entrypoint.event_type).model,)


def test_the_architecture_page_says_who_publishes_and_consumes_what():
    """docs/architecture.md's table of services: its publishes and consumes columns are the code's."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", page, re.M)
    documented = {service: (set(re.findall(r"`([\w.]+)`", publishes)), set(re.findall(r"`([\w.]+)`", consumes)))
                  for service, publishes, consumes in rows if service != "service"}  # not the header
    published: dict[str, set[str]] = {cls.name: set() for cls, _, _ in SUBSCRIPTIONS}
    published |= {e.producer: set() for e in registry.EVENT_TYPES}
    for event in registry.EVENT_TYPES:
        published[event.producer].add(event.name)
    consumed: dict[str, set[str]] = {service: set() for service in published}
    for cls, _, entrypoint in SUBSCRIPTIONS:
        consumed[cls.name].add(entrypoint.event_type)
    assert documented == {service: (published[service], consumed[service]) for service in published}
