"""A deployment's secrets, made once: what `binhdang make-secrets` writes as an env file (KEY=value lines)
for the Kubernetes overlay's Secret (deploy/kubernetes/overlays/) or a compose `.env`.

Which secrets there are follows from SETTINGS: every setting declared `secret=True` (those production
requires), and the services' broker users' passwords, which `binhdang broker-definitions` reads.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from cryptography.fernet import Fernet

from services.common.config import SERVICE_NAMES, SETTINGS, broker_password_setting

# Settings left empty for the operators to fill: the outside subscribers' users (name=password,...).
FILLED_BY_OPERATORS = ("BROKER_SUBSCRIBERS",)


def secret_names() -> list[str]:
    """The settings a deployment keeps in its Secret, in SETTINGS' order."""
    brokers = {broker_password_setting(name) for name in SERVICE_NAMES}
    return [s.name for s in SETTINGS if s.secret or s.name in brokers or s.name in FILLED_BY_OPERATORS]


def _generator(name: str) -> Callable[[], str]:
    if name.endswith("_ENCRYPTION_KEY"):
        return lambda: Fernet.generate_key().decode()
    if name in FILLED_BY_OPERATORS:
        return lambda: ""
    # URL-safe: the broker passwords go into AMQP URIs as they are
    return lambda: secrets.token_urlsafe(48 if name == "JWT_SECRET" else 24)


def new_secrets() -> dict[str, str]:
    return {name: _generator(name)() for name in secret_names()}


def env_file(values: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())
