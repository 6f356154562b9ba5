"""Who may do what on the broker: a RabbitMQ user per service, users for outside subscribers, and the
RabbitMQ definitions (vhost, users, permissions, topic permissions) that create them.

The broker is shared with other provincial systems, so it is a trust boundary. RabbitMQ grants per
user and vhost three regular expressions over resource names: configure (declare, delete), write
(publish to an exchange; bind a queue, which also needs read on the exchange) and read (consume from a
queue; bind from an exchange). Topic permissions restrict the routing keys a user may publish with
on a topic exchange. So:

* A service's user may configure and write only its own resources, all named `<service>.` (its
  `<service>.events` exchange, its `<service>.retries` redelivery exchange, its queues), and read them
  and the exchanges it consumes from. On `<service>.events` it may publish its own event types only.
  Nobody may write the default exchange (resource `amq.default`), through which a message reaches any
  queue: the services move their messages through `<service>.retries` instead. A service with RPC
  entrypoints also configures and reads its `rpc-<service>` queue and the `nameko-rpc` exchange, where
  it may publish replies only (a reply's routing key is a UUID), not calls. A service that calls others
  (`ServiceBase.rpc_calls`) may publish those calls only, and declare and read its reply queues
  `rpc.reply-<service>-<uuid>` (`services.common.rpc.CallerRpcProxy`).
* An outside subscriber's user may configure, bind and read queues named `<name>.` and bind them to
  the public `<producer>.events` exchanges. It may publish to no exchange of the platform, nor to the
  default exchange: only to an exchange of its own prefix, to which no one else may bind.
* The administrator (optional) may do everything on the vhost; operators and `binhdang declare-topology`
  use it (the exchanges must exist before the services start: a service may bind to another's exchange
  but not declare it).

`definitions()` is a RabbitMQ definitions document; load it with `rabbitmqctl import_definitions`, the
management API (`POST /api/definitions`) or at the broker's boot (`load_definitions`).
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nameko.rpc import Rpc

from services.catalog import entrypoints_of, service_class
from services.common.config import SERVICE_NAMES, broker_password_setting
from services.common.events import registry
from services.common.events.envelope import exchange_for
from services.common.rpc import REPLY_QUEUE_PREFIX
from services.common.subscriber import consumer_service
from services.ops.topology import consumer_topologies

RPC_EXCHANGE = "nameko-rpc"
RPC_REPLY_KEY = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # nameko: str(uuid4())
SUBSCRIBER_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,62}$")
NOTHING = "^$"


@dataclass(frozen=True)
class ServiceAccess:
    """What a service does on the broker, as its code says."""
    service: str
    produces: tuple[str, ...]  # event types it publishes on <service>.events
    consumes_from: tuple[str, ...]  # exchanges of the events it consumes
    serves_rpc: bool = False
    calls_rpc: tuple[str, ...] = ()  # "<service>.<method>" it calls (ServiceBase.rpc_calls)


@dataclass(frozen=True)
class TopicPermission:
    exchange: str
    write: str
    read: str = ".*"


@dataclass(frozen=True)
class Account:
    user: str
    password: str
    configure: str
    write: str
    read: str
    topic_permissions: tuple[TopicPermission, ...] = ()
    tags: str = ""


def _own(prefix: str) -> str:
    return f"^{re.escape(prefix)}\\."


def _exactly(names: Iterable[str]) -> list[str]:
    names = sorted(set(names))
    return [f"^({'|'.join(map(re.escape, names))})$"] if names else []


def _any_of(patterns: list[str]) -> str:
    return "|".join(patterns) or NOTHING


def platform_access() -> list[ServiceAccess]:
    """What each of the platform's services does on the broker, read from its code and the registry."""
    topologies = consumer_topologies({})
    return [ServiceAccess(
        service=name,
        produces=tuple(e.name for e in registry.EVENT_TYPES if e.producer == name),
        consumes_from=tuple(sorted({t.exchange for t in topologies if consumer_service(t.queue) == name})),
        serves_rpc=any(isinstance(entrypoint, Rpc) for _, entrypoint in entrypoints_of(name)),
        calls_rpc=service_class(name).rpc_calls,
    ) for name in SERVICE_NAMES]


def service_account(access: ServiceAccess, user: str, password: str) -> Account:
    own = [_own(access.service)]
    rpc = _exactly([f"rpc-{access.service}", RPC_EXCHANGE]) if access.serves_rpc else []
    # a caller declares and reads its reply queues, bound to nameko-rpc by a UUID
    replies = [f"^{re.escape(REPLY_QUEUE_PREFIX + access.service)}-", *_exactly([RPC_EXCHANGE])] \
        if access.calls_rpc else []
    rpc = sorted(set(rpc + replies))
    topics = [TopicPermission(exchange_for(access.service), write=_any_of(_exactly(access.produces)))]
    if access.serves_rpc or access.calls_rpc:
        # a server publishes replies (a UUID) and binds rpc-<service> with "<service>.*"; a caller publishes its
        # calls and binds its reply queue with a UUID
        topics.append(TopicPermission(
            RPC_EXCHANGE,
            write=_any_of(([RPC_REPLY_KEY] if access.serves_rpc else []) + _exactly(access.calls_rpc)),
            read=_any_of(([_own(access.service)] if access.serves_rpc else [])
                         + ([RPC_REPLY_KEY] if access.calls_rpc else []))))
    return Account(user, password, configure=_any_of(own + rpc), write=_any_of(own + rpc),
                   read=_any_of(own + _exactly(access.consumes_from) + rpc), topic_permissions=tuple(topics))


def subscriber_account(name: str, password: str) -> Account:
    """An outside system's user: queues `<name>.*` bound to the public exchanges, and nothing else."""
    own = [_own(name)]
    public = _exactly(exchange_for(producer) for producer in registry.producers())
    return Account(name, password, configure=_any_of(own), write=_any_of(own), read=_any_of(own + public))


def administrator(user: str, password: str) -> Account:
    return Account(user, password, configure=".*", write=".*", read=".*", tags="administrator")


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4 bytes of salt."""
    salt = os.urandom(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode("utf-8")).digest()).decode("ascii")


def platform_accounts(environ: dict | None = None, *, user_prefix: str = "binhdang-",
                      with_administrator: bool = False) -> tuple[str, list[Account]]:
    """The vhost of AMQP_URI and its accounts: one per service (`<user_prefix><service>`, password from
    BROKER_<SERVICE>_PASSWORD), one per outside subscriber (BROKER_SUBSCRIBERS) and, if asked, AMQP_URI's
    user as the vhost's administrator (a broker that loads the definitions at boot creates no other)."""
    import kombu

    from services.common.config import env, value_of

    broker = kombu.Connection(value_of("AMQP_URI", environ))
    if not broker.userid or not broker.password:
        raise ValueError("AMQP_URI names no user and password: they become the vhost's administrator's")
    accounts = []
    for access in platform_access():
        setting = broker_password_setting(access.service)
        password = env(setting, environ)
        if not password:
            raise ValueError(f"{setting} is not set: each service needs a broker password of its own")
        accounts.append(service_account(access, user_prefix + access.service, password))
    subscribers = parse_subscribers(env("BROKER_SUBSCRIBERS", environ))
    check_subscriber_names(subscribers, taken=[*SERVICE_NAMES, *(a.user for a in accounts), broker.userid])
    accounts += [subscriber_account(name, password) for name, password in subscribers.items()]
    if with_administrator:
        accounts.append(administrator(broker.userid, broker.password))
    return broker.virtual_host, accounts


def definitions(vhost: str, accounts: Iterable[Account]) -> dict:
    """The RabbitMQ definitions document that creates the vhost and the accounts with their permissions.
    Passwords are stored as salted hashes."""
    accounts = list(accounts)
    return {
        "vhosts": [{"name": vhost}],
        "users": [{"name": a.user, "password_hash": password_hash(a.password),
                   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": a.tags} for a in accounts],
        "permissions": [{"user": a.user, "vhost": vhost, "configure": a.configure, "write": a.write,
                         "read": a.read} for a in accounts],
        "topic_permissions": [{"user": a.user, "vhost": vhost, "exchange": t.exchange, "write": t.write,
                               "read": t.read} for a in accounts for t in a.topic_permissions],
    }


def parse_subscribers(text: str | None) -> dict[str, str]:
    """BROKER_SUBSCRIBERS: `name=password` pairs separated by commas."""
    found: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, equals, password = item.strip().partition("=")
        if not equals or not password:
            raise ValueError(f"BROKER_SUBSCRIBERS: {name!r} has no password (name=password, comma-separated)")
        if name in found:
            raise ValueError(f"BROKER_SUBSCRIBERS names {name!r} twice")
        found[name] = password
    return found


def check_subscriber_names(names: Iterable[str], taken: Iterable[str]) -> None:
    """A subscriber's name is its user and its queues' prefix: it must not reach a service's resources."""
    taken = set(taken)
    for name in names:
        if not SUBSCRIBER_NAME.match(name):
            raise ValueError(f"subscriber name {name!r}: lower-case letters, digits, '-' and '_' only "
                             "(it prefixes the subscriber's queues)")
        if name in taken or name.startswith(("amq", "rpc", "nameko")):
            raise ValueError(f"subscriber name {name!r} is taken by the platform")
