"""The platform's consumer queues, read from the services' `@subscribe` entrypoints.

`binhdang declare-topology` declares them before the services first start; `binhdang
dead-letters` finds every consumer's dead-letter queue through them.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import kombu

from services.catalog import entrypoints_of, service_classes
from services.common import amqp_connection
from services.common.events import registry
from services.common.inbox import consumer_name
from services.common.service_base import ServiceBase
from services.common.subscriber import DEAD_LETTER_SUFFIX, ConsumerTopology, EventSubscriber


def subscriptions() -> list[tuple[type[ServiceBase], str, EventSubscriber]]:
    """Every `@subscribe` handler of every service: (service class, handler name, entrypoint)."""
    return [(cls, handler, entrypoint) for name, cls in service_classes().items()
            for handler, entrypoint in entrypoints_of(name) if isinstance(entrypoint, EventSubscriber)]


def consumer_topologies(config: Mapping[str, Any]) -> list[ConsumerTopology]:
    """Every consumer queue the services declare, with the retry delays and queue type of `config`."""
    return sorted((ConsumerTopology.of(consumer_name(cls.name, handler), entrypoint.event_type, config)
                   for cls, handler, entrypoint in subscriptions()), key=lambda t: t.queue)


def dead_letter_queues(config: Mapping[str, Any], consumer_queue: str | None = None) -> list[str]:
    """The dead-letter queue of one consumer queue (given with or without `.dlq`), or of every consumer."""
    if consumer_queue:
        return [consumer_queue if consumer_queue.endswith(DEAD_LETTER_SUFFIX) else consumer_queue + DEAD_LETTER_SUFFIX]
    return [t.dead_letter_queue for t in consumer_topologies(config)]


def declare_topology(config: Mapping[str, Any]) -> list[str]:
    """Declare every exchange, consumer queue, binding, delay queue and dead-letter queue of the platform
    on the broker of `config` (AMQP_URI), with its RETRY_DELAYS_SECONDS and QUEUE_TYPE.

    Run before the services first start (compose does): an event published before its consumer
    queue exists would be confirmed by the broker and dropped, since nothing is bound to receive it.
    Every producer's exchange is declared, consumed here or not: outside subscribers bind to them.
    """
    declared = []
    with amqp_connection.connect(config["AMQP_URI"], connect_timeout=10) as connection:
        channel = connection.channel()
        for exchange in sorted({event.exchange for event in registry.EVENT_TYPES}):
            kombu.Exchange(exchange, "topic", durable=True)(channel).declare()
        for topology in consumer_topologies(config):
            for queue in topology.queues():
                queue(channel).declare()
                declared.append(queue.name)
    return declared
