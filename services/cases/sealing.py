"""Encryption at rest of victims' personal data (Fernet: AES-128-CBC + HMAC-SHA256)."""
from __future__ import annotations

import json
import logging

from cryptography.fernet import Fernet, InvalidToken

from services.common.config import DEV_CASES_ENCRYPTION_KEY

log = logging.getLogger(__name__)



class Sealer:
    def __init__(self, key: str | bytes | None):
        if not key:  # `binhdang run` has already warned, or refused in production
            key = DEV_CASES_ENCRYPTION_KEY
        self._fernet = Fernet(key)

    def seal(self, data: dict) -> bytes:
        return self._fernet.encrypt(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def seal_text(self, text: str | None) -> bytes | None:
        """One free text (a reason, a village), or None for none."""
        return self.seal({"text": text}) if text else None

    def unseal_text(self, token: bytes | None) -> str | None:
        return self.unseal(token)["text"] if token else None

    def unseal(self, token: bytes) -> dict:
        try:
            return json.loads(self._fernet.decrypt(token).decode("utf-8"))
        except InvalidToken:
            raise ValueError("victim data cannot be decrypted with the configured key") from None
