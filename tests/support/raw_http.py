"""Raw sockets against an HTTP server, for the tests that attack it (half-sent requests, held connections)."""
from __future__ import annotations

import socket

import pytest


def connect(address: tuple[str, int], sent: bytes = b"") -> socket.socket:
    sock = socket.create_connection(address, timeout=10)
    if sent:
        sock.sendall(sent)
    return sock


def read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open after `timeout`."""
    sock.settimeout(timeout)
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            pytest.fail(f"the server kept the connection open for more than {timeout}s; got {received[:80]!r}")
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
