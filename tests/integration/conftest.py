"""Fixtures shared by the integration tests."""
import pytest

from tests.support.probe import Probe


@pytest.fixture
def probe(container_factory, postgres, amqp_uri):
    """A started probe consumer of plan.issued.v1 on its own PostgreSQL database (tests/support/probe.py)."""
    probe = Probe(container_factory, postgres.create("probe"), amqp_uri)
    yield probe
    probe.close()
