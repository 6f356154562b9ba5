"""Out of file descriptors, a service keeps running: `accept()` failing with EMFILE is logged and
retried after a pause (nameko's own loop let the error end the process). The plans service runs as a
process of its own with a low descriptor limit, and more connections are opened than it may hold."""
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.support.service_http import free_ports

pytestmark = pytest.mark.e2e

DESCRIPTORS = 256  # enough to start and serve; far fewer than the connections opened below


def limit_descriptors():
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTORS, DESCRIPTORS))


def health(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
        return response.status


def test_running_out_of_descriptors_does_not_stop_the_service(tmp_path, amqp_uri):
    ports = free_ports("plans")
    port = int(ports["PLANS_PORT"])
    environ = dict(os.environ, AMQP_URI=amqp_uri, DATA_DIR=str(tmp_path), LOG_FORMAT="text", **ports,
                   HTTP_MAX_CONNECTIONS="5000",
                   # long enough that no connection is let go before the descriptors run out
                   HTTP_IDLE_TIMEOUT_SECONDS="60", HTTP_HEADER_TIMEOUT_SECONDS="60")
    environ.pop("DATABASE_URL", None)
    log = tmp_path / "plans.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "services", "run", "plans"], env=environ, stdout=out,
                                   stderr=subprocess.STDOUT, preexec_fn=limit_descriptors, start_new_session=True)
    held: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert health(port) == 200
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        for _ in range(DESCRIPTORS * 2):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except TimeoutError:  # the service stopped accepting and its listen queue is full
                break
        deadline = time.monotonic() + 20  # the service accepts until it runs out, then fails and pauses
        while "accept() failed: EMFILE" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "accept() failed: EMFILE" in log.read_text()
        assert process.poll() is None, log.read_text()
        for sock in held:  # the service sees each close and lets its descriptor go
            sock.close()
        held.clear()
        deadline = time.monotonic() + 20
        while True:
            try:
                assert health(port) == 200
                break
            except (OSError, AssertionError):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "no answer after the connections were closed"
                time.sleep(0.5)
    finally:
        for sock in held:
            sock.close()
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
