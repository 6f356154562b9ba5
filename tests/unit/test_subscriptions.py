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
