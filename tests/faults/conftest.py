"""The fault suite's fixtures: a three-node RabbitMQ cluster of its own (started once, removed at the end),
a virtual host and PostgreSQL databases per scenario, the services as `binhdang run` processes on them,
and the table of outcomes printed at the end of the run (`./dev faults`)."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from services.common.config import port_setting
from services.ops.topology import declare_topology
from services.processes import ServiceProcesses
from tests.support.fault_load import CaseReportLoad, Outcome, table
from tests.support.rabbit_cluster import SBIN, RabbitCluster
from tests.support.service_http import free_port

OUTCOMES: list[Outcome] = []

# consumers leave a node that stops answering after 2 heartbeats; retries come back quickly
FAULT_SETTINGS = {"QUEUE_TYPE": "quorum", "AMQP_HEARTBEAT_SECONDS": "3", "RETRY_DELAYS_SECONDS": "0.5,1,2",
                  "OUTBOX_POLL_SECONDS": "0.2", "LOG_LEVEL": "WARNING",
                  "LOG_FORMAT": "text"}


@pytest.fixture(scope="session")
def rabbit_cluster() -> Iterator[RabbitCluster]:
    if not (SBIN / "rabbitmq-server").exists():
        pytest.skip(f"rabbitmq-server is not installed in {SBIN}")
    base = Path(tempfile.mkdtemp(prefix="binhdang-cluster-"))
    cluster = RabbitCluster.for_tests(base)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Platform:
    """The services (`replicas` processes of each) on a vhost of the cluster and databases of their own."""
    environ: dict
    urls: dict[str, str]  # service -> database URL
    channel_file: Path
    groups: list[tuple[str, ServiceProcesses]] = field(default_factory=list)

    def start(self, log_dir: Path, services: tuple[str, ...], replicas: int = 1) -> None:
        for service in services:
            for n in range(replicas):
                environ = dict(self.environ, DATABASE_URL=self.urls[service],
                               **{port_setting(service): str(free_port())})
                group = ServiceProcesses(environ, log_dir / f"{service}-{n}", services=(service,))
                group.launch()
                self.groups.append((service, group))
        for _, group in self.groups:
            group.wait_ready(timeout=180)

    def load(self, total: int, rate: float) -> CaseReportLoad:
        return CaseReportLoad(self.urls["cases"], {s: self.urls[s] for s in ("reporting", "notifications")},
                              self.channel_file, total=total, rate=rate)

    def kill(self, service: str) -> None:
        """kill -9 the first running process of a service."""
        for name, group in self.groups:
            process = group.processes[name]
            if name == service and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return
        raise AssertionError(f"no running {service} process")

    def exited(self) -> dict[str, int | None]:
        """Processes that are no longer running, by service and index, with their exit code."""
        return {f"{name}-{n}": group.processes[name].returncode
                for n, (name, group) in enumerate(self.groups) if group.processes[name].poll() is not None}

    def stop(self) -> None:
        """Stop every process side by side (each stops gracefully, which takes a few seconds)."""
        stopping = [threading.Thread(target=group.stop) for _, group in self.groups]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()


LOGS = Path(__file__).resolve().parents[2] / "var" / "faults"  # kept after the run, one folder per scenario


@pytest.fixture
def service_logs(request) -> Path:
    """The services' logs of this scenario, under var/faults/ (pytest rotates its temporary folders away)."""
    folder = LOGS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    return folder


@pytest.fixture
def platform(rabbit_cluster, postgres, tmp_path) -> Iterator[Platform]:
    vhost = f"faults-{uuid.uuid4().hex[:8]}"
    rabbit_cluster.repair()  # a scenario that failed may have left a node out
    first = rabbit_cluster.nodes[0]
    rabbit_cluster.ctl(first, "add_vhost", vhost)
    rabbit_cluster.ctl(first, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    amqp_uri = rabbit_cluster.amqp_uri_for(vhost)
    channel_file = tmp_path / "channel.jsonl"
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(tmp_path), NOTIFICATION_FILE=str(channel_file),
                   **FAULT_SETTINGS)
    declare_topology(environ)
    urls = {service: postgres.create(service) for service in ("plans", "cases", "notifications", "reporting")}
    running = Platform(environ, urls, channel_file)
    yield running
    running.stop()
    rabbit_cluster.ctl(first, "delete_vhost", vhost, check=False)


@pytest.fixture(scope="session")
def fault_outcomes() -> list[Outcome]:
    return OUTCOMES


def pytest_terminal_summary(terminalreporter):
    if OUTCOMES:
        terminalreporter.write_sep("=", "fault scenarios")
        terminalreporter.write_line(table(OUTCOMES))
