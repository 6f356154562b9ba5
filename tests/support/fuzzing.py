"""Fuzz a service's HTTP API from its own OpenAPI document (schemathesis), against a real service.

The schema comes straight from the service class (no server needed to collect the tests); the
service runs in a nameko container for the whole module, on PostgreSQL and RabbitMQ.
"""
from __future__ import annotations

from contextlib import contextmanager

from nameko.containers import ServiceContainer
from schemathesis.checks import not_a_server_error

from tests.support.service_http import free_port, service_config, token

# For each operation, call it as a role it allows, so requests get past authorization to the handler.
ROLE_PREFERENCE = ["commune_officer", "unit_reporter", "case_worker", "commune_leader", "province_officer",
                   "operator", "auditor"]
PROVINCE_WIDE = ("province_officer", "operator", "auditor")


def tokens_for(commune: str, unit: str) -> dict[str, str]:
    return {role: token(role, None if role in PROVINCE_WIDE else commune,
                        unit if role == "unit_reporter" else None) for role in ROLE_PREFERENCE}


def aim(case, known: dict[str, str]) -> None:
    """Point most generated requests at things that exist (the caller's commune, a real plan),
    so they get past 403/404 into the handlers; the rest keep the fuzzer's random values."""
    for name, value in known.items():
        if name in (case.path_parameters or {}) and hash((name, str(case.path_parameters[name]))) % 4:
            case.path_parameters[name] = value


def check_no_server_error(case, url: str, known: dict[str, str], tokens: dict[str, str]) -> None:
    """Send the generated request, aimed and authorised, and fail on any 5xx."""
    aim(case, known)
    case.call_and_validate(base_url=url, headers=auth_headers(case, tokens), checks=[not_a_server_error])


def auth_headers(case, tokens: dict[str, str]) -> dict[str, str]:
    roles = case.operation.definition.raw.get("x-roles")
    if not roles:
        return {}
    role = next(r for r in ROLE_PREFERENCE if r in roles)
    return {"Authorization": f"Bearer {tokens[role]}"}


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
