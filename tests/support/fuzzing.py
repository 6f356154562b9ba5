"""Fuzz a service's HTTP API from its own OpenAPI document (schemathesis), against a real service.

The schema comes straight from the service class (no server needed to collect the tests); the
service runs in a nameko container for the whole module, on PostgreSQL and RabbitMQ. Every answer
must be no 5xx, and its status, content type and body must be what the document promises: the
success bodies the response models, the refusals the error body.
"""
from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, settings
from nameko.containers import ServiceContainer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services.common import admin_units
from services.common.service_base import openapi_for
from tests.support.service_http import free_port, service_config, token

# For each operation, call it as a role it allows, so requests get past authorization to the handler.
ROLE_PREFERENCE = ["commune_officer", "unit_reporter", "case_worker", "commune_leader", "province_officer",
                   "operator", "auditor"]
PROVINCE_WIDE = ("province_officer", "operator", "auditor")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
KEEP_FUZZED_EVERY = 4  # one request in four keeps the fuzzer's own path values


def tokens_for(commune: str, unit: str) -> dict[str, str]:
    """A token of each role for the commune (a province officer: of the commune's province)."""
    province = admin_units.province_of(commune)
    return {role: token(role, None if role in PROVINCE_WIDE else commune, unit if role == "unit_reporter" else None,
                        province=province.code if province and role == "province_officer" else None)
            for role in ROLE_PREFERENCE}


@dataclass
class FuzzTarget:
    """A running service, the things in it that requests are aimed at, and a token for every role."""
    url: str
    known: dict[str, object]  # a path or query parameter's name -> a value that exists
    tokens: dict[str, str]
    sent: itertools.count = field(default_factory=itertools.count)

    def aim(self, case) -> None:
        """Point most generated requests at things that exist (the caller's commune, a real plan),
        in the path and in the query, so they get past 403/404 into the handlers; every fourth keeps
        the fuzzer's random values. A counter decides, not the values: the choice is the same in
        every process."""
        if next(self.sent) % KEEP_FUZZED_EVERY == KEEP_FUZZED_EVERY - 1:
            return
        for parameters in (case.path_parameters, case.query):
            for name, value in self.known.items():
                if parameters and name in parameters:
                    parameters[name] = value

    def check(self, case) -> None:
        """Send the generated request, aimed and authorised; fail on a 5xx or an answer the document
        does not describe."""
        self.aim(case)
        case.call_and_validate(base_url=self.url, headers=self.auth_headers(case), checks=CHECKS)

    def auth_headers(self, case) -> dict[str, str]:
        roles = case.operation.definition.raw.get("x-roles")
        if not roles:
            return {}
        role = next(r for r in ROLE_PREFERENCE if r in roles)
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def fuzz_every_endpoint(service_cls):
    """The fuzz test of a service: every operation of its OpenAPI document (as the service class
    generates it: no server is needed to collect the tests), `FUZZ_EXAMPLES` examples each, sent to
    the module's `fuzz_target` fixture (a FuzzTarget). Assign it to a `test_...` name."""
    schema = schemathesis.openapi.from_dict(openapi_for(service_cls))

    @schema.parametrize()
    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
              suppress_health_check=list(HealthCheck))
    def test(case, fuzz_target):
        fuzz_target.check(case)

    return test


@contextmanager
def running_service(service_cls, database_url: str, amqp_uri: str, data_dir):
    port = free_port()
    config = service_config(service_cls.name, port, amqp_uri, data_dir, database_url, LOG_LEVEL="WARNING")
    container = ServiceContainer(service_cls, config)
    container.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        container.stop()
