"""Why a session may show a case: the reason the case worker gave, kept for a short while (`GRANT_MINUTES`) in the
web's own table, tied to the browser's session. Every read of the case during that time sends the reason to the
cases service, which audits the read with it; when the time is up, or the session ends, the page asks again.

A reason is free text that may name the victim. It is kept sealed (AES-GCM) with a key derived from the session's
cookie value, which only the browser holds (the web keeps its hash): a copy of the web's database reads no reason.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from services.web.models import CaseAccessGrant, SignInSession

GRANT_MINUTES = 15
NONCE_BYTES = 12


def _key(session_secret: str) -> AESGCM:
    # the cookie's value is 32 random bytes (sessions.start): a hash of it, labelled for this use, is a key
    return AESGCM(hashlib.sha256(b"binhdang case access reason\0" + session_secret.encode()).digest())


def seal(session_secret: str, case_code: str, reason: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _key(session_secret).encrypt(nonce, reason.encode(), case_code.encode())


def unseal(session_secret: str, case_code: str, sealed: bytes) -> str | None:
    try:
        return _key(session_secret).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], case_code.encode()).decode()
    except (InvalidTag, ValueError):
        return None


def grant(db: Session, row: SignInSession, session_secret: str, case_code: str, reason: str,
          now: dt.datetime) -> None:
    """Open `case_code` for the session with `reason` (replacing an earlier reason); ended grants are removed."""
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.expires_at <= now))
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.session_id_hash == row.id_hash,
                                                CaseAccessGrant.case_code == case_code))
    db.add(CaseAccessGrant(session_id_hash=row.id_hash, case_code=case_code,
                           reason_sealed=seal(session_secret, case_code, reason),
                           expires_at=now + dt.timedelta(minutes=GRANT_MINUTES)))


def reason_for(db: Session, row: SignInSession | None, session_secret: str | None, case_code: str,
               now: dt.datetime) -> str | None:
    """The reason the session gave to open the case, while its grant lasts."""
    if row is None or not session_secret:
        return None
    sealed = db.scalars(sa.select(CaseAccessGrant.reason_sealed).where(
        CaseAccessGrant.session_id_hash == row.id_hash, CaseAccessGrant.case_code == case_code,
        CaseAccessGrant.expires_at > now).order_by(CaseAccessGrant.id.desc())).first()
    return unseal(session_secret, case_code, sealed) if sealed is not None else None


def revoke(db: Session, row: SignInSession, case_code: str) -> None:
    db.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.session_id_hash == row.id_hash,
                                                CaseAccessGrant.case_code == case_code))
