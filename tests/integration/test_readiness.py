"""`/ready` tells which dependency is missing, with a 503; `/health` stays 200."""
import socket

import pytest
import requests

from services.common.config import nameko_config
from services.cases.service import CasesService

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("broker_up", [True, False])
def test_ready_reports_an_unreachable_broker(container_factory, tmp_path, amqp_uri, broker_up):
    port = free_port()
    dead_broker = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    config = nameko_config("cases", {"DATA_DIR": str(tmp_path), "CASES_PORT": str(port),
                                     "AMQP_URI": amqp_uri if broker_up else dead_broker})
    # The cases service consumes no events: with the broker down it still starts (a consuming
    # service's start() waits for its consumers until the broker is back).
    container = container_factory(CasesService, config)
    container.start()
    base = f"http://127.0.0.1:{port}"
    assert requests.get(base + "/health", timeout=10).status_code == 200
    ready = requests.get(base + "/ready", timeout=20)
    if broker_up:
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
    else:
        assert ready.status_code == 503
        assert ready.json()["problems"] == {"broker": "unreachable: OperationalError"}
