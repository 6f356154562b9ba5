"""Start the four services as separate `binhdang run` processes and wait until they are ready.

Used by the demo (the README's main command) and by the end-to-end tests.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from services.common.config import SERVICE_NAMES, metrics_port_setting, port_of, value_of


class ServiceProcesses:
    def __init__(self, environ: dict, log_dir: Path, services=SERVICE_NAMES,
                 launcher: tuple[str, ...] = (sys.executable, "-m", "services")):
        """`launcher`: the command before `run <service>` (the benchmarks run services through a wrapper)."""
        self.environ = environ
        self.log_dir = Path(log_dir)
        self.services = services
        self.launcher = launcher
        self.processes: dict[str, subprocess.Popen] = {}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{port_of(service, self.environ)}"

    def metrics_url(self, service: str) -> str:
        return f"http://127.0.0.1:{value_of(metrics_port_setting(service), self.environ)}/metrics"

    def start(self, timeout: float = 60.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Start the processes without waiting for them (several groups can then start side by side)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            log = open(self.log_dir / f"{service}.log", "ab")
            self.processes[service] = subprocess.Popen(
                [*self.launcher, "run", service], env=self.environ,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.services)
        while pending and time.monotonic() < deadline:
            for service in list(pending):
                if self.processes[service].poll() is not None:
                    raise RuntimeError(f"{service} exited with {self.processes[service].returncode}; "
                                       f"see {self.log_dir / (service + '.log')}")
                try:
                    with urllib.request.urlopen(self.url(service) + "/ready", timeout=2) as response:
                        if response.status == 200:
                            pending.discard(service)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
            time.sleep(0.2)
        if pending:
            self.stop()
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(sorted(pending))}; "
                               f"logs in {self.log_dir}")

    def stop(self, timeout: float = 20.0) -> dict[str, int]:
        """SIGTERM each service (nameko stops gracefully), SIGKILL what does not stop in time."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes = {}
        for service, process in self.processes.items():
            try:
                codes[service] = process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                codes[service] = process.wait()
        return codes


def http_upload(url: str, filename: str, data: bytes, fields: dict, token: str):
    """POST a multipart/form-data upload (a file and form fields); (status, parsed JSON body)."""
    boundary = f"binhdang-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                  "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return http_json("POST", url, raw=b"".join(parts), token=token,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def http_json(method: str, url: str, body=None, token: str | None = None, headers: dict | None = None,
              raw: bytes | None = None):
    """(status, parsed JSON body) of an HTTP call; the JSON error body on 4xx/5xx too."""
    data = raw
    request_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        request_headers.setdefault("Content-Type", "application/json")
    if token:
        request_headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=request_headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            raw = response.read()
            status = response.status
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        raw, status, content_type = error.read(), error.code, error.headers.get("Content-Type", "")
    if "json" in content_type:
        return status, json.loads(raw.decode("utf-8"))
    return status, raw.decode("utf-8")
