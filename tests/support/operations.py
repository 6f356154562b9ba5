"""Helpers for the tests of the operators' endpoints (services.common.operations) and page."""
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.service_http import Api, start_service, token
from tests.support.waiting import wait_until

OPERATOR = token("operator", subject="quan-tri")


def wait_for_consumers(api: Api, timeout: float = 20.0) -> None:
    """Until the service consumes from each of its queues (a replayed event routed before would be dropped)."""
    def consuming() -> bool:
        return all(c["consumers"] for c in api.call("GET", "/v1/operations/consumers", OPERATOR).json()["items"])
    wait_until(consuming, timeout)


def plan_of_year(api: Api, commune: str, year: int = 2026) -> str | None:
    """The plan reporting knows for a commune's year (through a commune officer's eyes)."""
    officer = token("commune_officer", commune)
    return api.call("GET", f"/v1/communes/{commune}/years/{year}/status", officer).json().get("plan_id")


@contextmanager
def consuming(container_factory, service_cls, database_url: str, amqp_uri: str, tmp_path) -> Iterator[Api]:
    """A service started and consuming from its queues; stopped afterwards (before its vhost goes)."""
    container, api = start_service(container_factory, service_cls, database_url, amqp_uri, tmp_path)
    try:
        wait_for_consumers(api)
        yield api
    finally:
        container.stop()
