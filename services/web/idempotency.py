"""The random key a form carries so that a second click on its button (or a reload of the POST) does the
thing once: the page sends it as the service call's `Idempotency-Key` header."""
from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

FORM_FIELD = "idempotency_key"
KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_key() -> str:
    return secrets.token_urlsafe(16)


def key_of(form: Mapping[str, str]) -> str:
    """The form's key if it looks like one a page made (`new_key`); otherwise a new one: anything else,
    a line break say, never reaches a header."""
    key = form.get(FORM_FIELD, "")
    return key if KEY.fullmatch(key) else new_key()
