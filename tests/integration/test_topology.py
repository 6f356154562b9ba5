"""`binhdang declare-topology` on a new broker: what an outside subscriber reads in the contract exists."""
import os
import subprocess
import sys
from pathlib import Path

import kombu
import pytest
import yaml

from tests.support.broker import private_vhost

pytestmark = pytest.mark.integration

ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_every_exchange_of_the_contract_exists_after_declare_topology():
    """Found in review: only exchanges with a consumer were declared, so notifications.events did not exist
    until the first notification, and an outside subscriber binding to it got a 404."""
    document = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
    exchanges = {channel["bindings"]["amqp"]["exchange"]["name"] for channel in document["channels"].values()}
    assert "notifications.events" in exchanges
    with private_vhost() as amqp_uri:
        subprocess.run([sys.executable, "-m", "services", "declare-topology"], env=dict(os.environ, AMQP_URI=amqp_uri),
                       check=True, capture_output=True, timeout=60)
        with kombu.Connection(amqp_uri) as connection:
            channel = connection.channel()
            for exchange in sorted(exchanges):
                channel.exchange_declare(exchange, "topic", durable=True, passive=True)  # 404 if it is missing
