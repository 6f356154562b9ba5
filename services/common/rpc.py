"""`@rpc(roles=...)`: a nameko RPC entrypoint that asks for the same bearer token as HTTP.

The broker is shared with other provincial systems, so an RPC call is no more trusted than an HTTP
request: the caller puts `authorization: Bearer <token>` in the call's context (nameko carries context
data in the message headers), e.g. `ClusterRpcProxy(config, context_data={"authorization": ...})`.
The token is checked, and the role authorised, before any service code runs; the method receives the
`Principal` first, as an HTTP handler does, and applies the same commune rules.

Every failure reaches the caller as nameko's RemoteError with `exc_type` "RpcError" and the value
"<status> <code>: <message>", the status, code and message an HTTP caller would get (an unexpected
error says no more than a 500 would).
"""
from __future__ import annotations

import sys

from nameko.rpc import Rpc
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.auth import authenticate
from services.common.errors import AppError, map_exception

AUTHORIZATION = "authorization"  # the call context's key for the bearer token


class RpcError(Exception):
    """What an RPC caller is told when a call fails: "<status> <code>: <message>"."""


def _for_the_caller(exc_info):
    if exc_info is None:
        return None
    status, body = map_exception(exc_info[1])
    error = RpcError(f"{status} {body['error']['code']}: {body['error']['message']}")
    return type(error), error, exc_info[2]


class AuthenticatedRpc(Rpc):
    def __init__(self, *, roles, **kwargs):
        self.roles = frozenset(roles)
        # a refusal is part of the API, not a fault: nameko logs these without a traceback
        kwargs.setdefault("expected_exceptions", (AppError,))
        super().__init__(**kwargs)

    def handle_message(self, body, message):
        try:
            principal = authenticate(self.unpack_message_headers(message).get(AUTHORIZATION), self.roles,
                                     self.container.config)
        except AppError:
            self.rpc_consumer.handle_result(message, None, _for_the_caller(sys.exc_info()))
            return
        if isinstance(body, dict) and isinstance(body.get("args"), list | tuple):
            body = {**body, "args": [principal, *body["args"]]}
        super().handle_message(body, message)  # a malformed body is answered as nameko does

    def handle_result(self, message, worker_ctx, result, exc_info):
        self.rpc_consumer.handle_result(message, result, _for_the_caller(exc_info))
        return result, exc_info  # the worker's own outcome, for metrics and logs


rpc = AuthenticatedRpc.decorator

REPLY_QUEUE_PREFIX = "rpc.reply-"  # nameko names a caller's reply queue rpc.reply-<caller>-<uuid>


class CallerRpcProxy(ClusterRpcProxy):
    """A standalone RPC proxy that calls as a service: its reply queue is `rpc.reply-<service>-<uuid>`, which that
    service's broker user may declare (services.ops.broker_access), and the call carries a bearer token."""

    def __init__(self, amqp_uri: str, caller: str, token: str, timeout: float):
        # nameko names the reply queue after the proxy's container's service_name
        self.ServiceContainer = type("ServiceContainer", (ClusterRpcProxy.ServiceContainer,),
                                     {"service_name": caller})
        super().__init__({"AMQP_URI": amqp_uri}, timeout=timeout, context_data={AUTHORIZATION: f"Bearer {token}"})
