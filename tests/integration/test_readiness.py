"""`/ready` names the dependency that is missing, with a 503; `/health` stays 200 meanwhile."""
import pytest
import requests

from services.plans.service import PlansService
from tests.support.service_http import free_port, service_config
from tests.support.tcp_proxy import proxied
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration


def test_ready_reports_an_unreachable_broker_and_recovers(container_factory, tmp_path, amqp_uri):
    proxy, proxied_uri = proxied(amqp_uri)
    port = free_port()
    config = service_config("plans", port, proxied_uri, tmp_path)
    container = container_factory(PlansService, config)
    container.start()
    base = f"http://127.0.0.1:{port}"
    try:
        assert requests.get(base + "/ready", timeout=20).json() == {"status": "ready", "service": "plans",
                                                                     "problems": {}}
        proxy.cut()
        assert requests.get(base + "/health", timeout=10).status_code == 200
        ready = requests.get(base + "/ready", timeout=20)
        assert ready.status_code == 503
        assert ready.json()["problems"] == {"broker": "unreachable: OperationalError"}
    finally:
        proxy.restore()  # the service's consumers reconnect before it is stopped
    wait_until(lambda: requests.get(base + "/ready", timeout=20).status_code == 200, timeout=30)
    # Stop the service, then the proxy, so that no greenthread is left waiting on a socket whose
    # file descriptor the next test would reuse (eventlet refuses two readers on one descriptor).
    container.stop()
    proxy.cut()
