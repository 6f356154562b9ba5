"""Browser sessions kept on the server: the cookie holds a random id, the table its hash.

A new id is issued whenever who the session stands for changes (anonymous, password given, signed in), so an id
planted in a browser before sign-in (session fixation) is worthless after it. A session unused for the idle time
ends; every form carries the session's CSRF token.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from services.web.models import Account, SignInSession

COOKIE_NAME = "binhdang_session"


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(db: Session, now: dt.datetime, account: Account | None = None,
          second_factor_pending: bool = False) -> tuple[str, SignInSession]:
    """A new session (id for the cookie, row)."""
    session_id = secrets.token_urlsafe(32)
    row = SignInSession(id_hash=_hash(session_id), csrf_token=secrets.token_urlsafe(32),
                        account_id=account.id if account else None, second_factor_pending=second_factor_pending,
                        created_at=now, last_seen_at=now)
    db.add(row)
    return session_id, row


def find(db: Session, session_id: str | None, now: dt.datetime, idle: dt.timedelta) -> SignInSession | None:
    """The live session of a cookie's id; an idle one is ended."""
    if not session_id or len(session_id) > 100:
        return None
    row = db.get(SignInSession, _hash(session_id))
    if row is None:
        return None
    if now - row.last_seen_at > idle:
        db.delete(row)
        return None
    row.last_seen_at = now
    return row


def rotate(db: Session, old: SignInSession | None, now: dt.datetime, account: Account | None,
           second_factor_pending: bool = False) -> tuple[str, SignInSession]:
    """End `old` and start a new session for `account`."""
    if old is not None:
        db.delete(old)
    return start(db, now, account, second_factor_pending)


def csrf_ok(row: SignInSession | None, submitted: str | None) -> bool:
    # bytes: compare_digest raises on a str with non-ASCII characters (a forged token must be a 403, not a 500)
    return row is not None and bool(submitted) and hmac.compare_digest(row.csrf_token.encode(),
                                                                        (submitted or "").encode())
