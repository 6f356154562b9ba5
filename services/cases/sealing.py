"""Encryption at rest of victims' personal data (Fernet: AES-128-CBC + HMAC-SHA256)."""
from __future__ import annotations

import base64
import hashlib
import json
import logging

from cryptography.fernet import Fernet, InvalidToken

log = logging.getLogger(__name__)

# Development only: a fixed key so the demo's data survives restarts. Production sets CASES_ENCRYPTION_KEY.
_DEV_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"binhdang-development-only").digest())


class Sealer:
    def __init__(self, key: str | bytes | None):
        if not key:  # `binhdang run` has already warned, or refused in production
            key = _DEV_KEY
        self._fernet = Fernet(key)

    def seal(self, data: dict) -> bytes:
        return self._fernet.encrypt(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def unseal(self, token: bytes) -> dict:
        try:
            return json.loads(self._fernet.decrypt(token).decode("utf-8"))
        except InvalidToken:
            raise ValueError("victim data cannot be decrypted with the configured key") from None
