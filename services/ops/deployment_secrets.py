"""A deployment's secrets, made once: what `binhdang make-secrets` writes as an env file (KEY=value lines)
for the Kubernetes overlay's Secret (deploy/kubernetes/overlays/) or a compose `.env`.

Which secrets there are follows from SETTINGS: every setting declared `secret=True` (those production
requires), the services' broker users' passwords, which `binhdang broker-definitions` reads, and the token
signer's private key, made together with the public keys the services verify with (JWT_JWKS).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from cryptography.fernet import Fernet

from services.common.config import SERVICE_NAMES, SETTINGS, broker_password_setting
from services.common.token_keys import new_key_pair

# Settings left empty for the operators to fill: the outside subscribers' users (name=password,...).
FILLED_BY_OPERATORS = ("BROKER_SUBSCRIBERS",)
# Held by the token signer only (the web component), never given to a service.
SIGNER_SECRETS = ("JWT_PRIVATE_KEY",)
# Made as a pair: the private key and the public keys (JWKS) that verify what it signs.
TOKEN_KEYS = ("JWT_PRIVATE_KEY", "JWT_JWKS")


def secret_names() -> list[str]:
    """The settings a deployment keeps in its Secret, in SETTINGS' order."""
    brokers = {broker_password_setting(name) for name in SERVICE_NAMES}
    kept = brokers | set(FILLED_BY_OPERATORS) | set(SIGNER_SECRETS)
    return [s.name for s in SETTINGS if s.secret or s.name in kept]


def _generator(name: str) -> Callable[[], str]:
    if name.endswith("_ENCRYPTION_KEY"):
        return lambda: Fernet.generate_key().decode()
    if name in FILLED_BY_OPERATORS:
        return lambda: ""
    # URL-safe: the broker passwords go into AMQP URIs as they are
    return lambda: secrets.token_urlsafe(24)


def new_secrets() -> dict[str, str]:
    made = {name: _generator(name)() for name in secret_names() if name not in TOKEN_KEYS}
    made.update(zip(TOKEN_KEYS, new_key_pair(), strict=True))
    return {name: made[name] for name in secret_names()}


def env_file(values: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())
