"""Container health check: GET /health of the service this container runs; exit 0 if it answers 200.

One image runs any of the four services, so the check learns which one from PID 1's arguments
(`binhdang run <service>`, possibly behind an init such as tini) and takes its port from the
environment through the same `port_of` the service uses (<SERVICE>_PORT, else the default).
If PID 1 is not `run <service>`, it accepts any service port that answers.
"""
from __future__ import annotations

import http.client
import sys
import urllib.request

from services.common.config import SERVICE_NAMES, port_of

TIMEOUT_SECONDS = 3


def service_from_args(args: list[str]) -> str | None:
    for before, arg in zip(args, args[1:]):
        if before == "run" and arg in SERVICE_NAMES:
            return arg
    return None


def pid1_args() -> list[str]:
    try:
        with open("/proc/1/cmdline", "rb") as cmdline:
            return cmdline.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return []


def answers(service: str) -> bool:
    url = f"http://127.0.0.1:{port_of(service)}/health"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, timed out, HTTP error status, garbled reply
        return False


def main() -> int:
    service = service_from_args(pid1_args())
    candidates = [service] if service else list(SERVICE_NAMES)
    return 0 if any(answers(name) for name in candidates) else 1


if __name__ == "__main__":
    sys.exit(main())
