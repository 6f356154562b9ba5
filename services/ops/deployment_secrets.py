"""A deployment's secrets, made once: what `binhdang make-secrets` writes as an env file (KEY=value lines)
for the Kubernetes overlay's Secret (deploy/kubernetes/overlays/) or a compose `.env`.

Which secrets there are follows from SETTINGS: every setting declared `secret=True` (those production
requires), the services' broker users' passwords, which `binhdang broker-definitions` reads, and the token
signers' private keys (the web's, and each of SERVICE_SIGNING_KEYS'), made together with the public keys
the services verify with (JWT_JWKS, holding every signer's public key).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from cryptography.fernet import Fernet

from services.common.config import SERVICE_NAMES, SERVICE_SIGNING_KEYS, SETTINGS, broker_password_setting
from services.common.token_keys import new_key_pairs

# Settings left empty for the operators to fill: the outside subscribers' users (name=password,...).
FILLED_BY_OPERATORS = ("BROKER_SUBSCRIBERS",)
# The signers' private keys, each held by its signer only: the web's, and the services' that sign (given to
# the service as JWT_PRIVATE_KEY). Made together with the public keys (JWKS) that verify what they sign.
SIGNER_SECRETS = ("JWT_PRIVATE_KEY", *SERVICE_SIGNING_KEYS.values())
TOKEN_KEYS = (*SIGNER_SECRETS, "JWT_JWKS")


def secret_names() -> list[str]:
    """The settings a deployment keeps in its Secret, in SETTINGS' order."""
    brokers = {broker_password_setting(name) for name in SERVICE_NAMES}
    kept = brokers | set(FILLED_BY_OPERATORS) | set(SIGNER_SECRETS)
    declared = [s.name for s in SETTINGS if s.secret or s.name in kept]
    return declared + [name for name in SIGNER_SECRETS if name not in declared]


def _generator(name: str) -> Callable[[], str]:
    if name.endswith("_ENCRYPTION_KEY"):
        return lambda: Fernet.generate_key().decode()
    if name in FILLED_BY_OPERATORS:
        return lambda: ""
    # URL-safe: the broker passwords go into AMQP URIs as they are
    return lambda: secrets.token_urlsafe(24)


def new_secrets() -> dict[str, str]:
    made = {name: _generator(name)() for name in secret_names() if name not in TOKEN_KEYS}
    privates, jwks = new_key_pairs(len(SIGNER_SECRETS))
    made.update(zip(SIGNER_SECRETS, privates, strict=True), JWT_JWKS=jwks)
    return {name: made[name] for name in secret_names()}


def env_file(values: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())
