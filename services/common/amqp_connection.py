"""Connections to the broker: one RabbitMQ node, or every node of a cluster.

AMQP_URI names one broker (`amqp://user:pass@host:5672/vhost`) or several separated by `;`
(`amqp://...@node1:5672/vhost;amqp://...@node2:5672/vhost;...`), kombu's failover syntax. A
connection tries them in turn until one answers, starting at a random one so that the
clients of a cluster spread over its nodes; a client whose node goes away reconnects to
another the same way.
"""
from __future__ import annotations

import random

import kombu


def broker_uris(amqp_uri: str) -> list[str]:
    """The URIs AMQP_URI names, in its order."""
    return [part.strip() for part in amqp_uri.split(";") if part.strip()]


def connection(amqp_uri: str, connect_timeout: float = 5.0, **options) -> kombu.Connection:
    """A (lazy) kombu connection to the broker or cluster, its nodes in a random order, tried round-robin."""
    uris = broker_uris(amqp_uri)
    random.shuffle(uris)
    return kombu.Connection(";".join(uris), connect_timeout=connect_timeout, failover_strategy="round-robin",
                            **options)


def connect(amqp_uri: str, connect_timeout: float = 5.0, **options) -> kombu.Connection:
    """An open connection to the first node that answers, each node tried once, without waiting between
    them; the last node's error if none does. The caller closes it (or uses it in a `with`)."""
    opened = connection(amqp_uri, connect_timeout=connect_timeout, **options)
    try:
        opened.ensure_connection(max_retries=len(opened.alt), interval_start=0, interval_step=0, interval_max=0)
    except BaseException:
        opened.release()
        raise
    return opened
