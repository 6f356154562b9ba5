"""The web component's own tables: accounts, sign-in sessions, and the audit of sign-ins and account changes."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(32))
    commune: Mapped[str | None] = mapped_column(sa.String(5))
    unit: Mapped[str | None] = mapped_column(sa.String(32))
    province: Mapped[str | None] = mapped_column(sa.String(2))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    # the 30-second step of the last code accepted: a code seen (or overheard) once does not sign in again
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger())
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # a disabled account signs in no more (its sessions ended when it was disabled); kept for the audit
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # a password given by someone else (a new account, a reset) is changed at the next sign-in
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class SignInSession(Base):
    """A browser's session: anonymous (it holds the sign-in form's CSRF token), waiting for the second factor,
    or signed in. Only a hash of the cookie's value is stored."""
    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"))
    second_factor_pending: Mapped[bool] = mapped_column(default=False)
    # a sign-in through the province's OpenID Connect provider under way (services/web/oidc.py)
    oidc_state: Mapped[str | None] = mapped_column(sa.String(64))
    oidc_nonce: Mapped[str | None] = mapped_column(sa.String(64))
    oidc_verifier: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SignInFailure(Base):
    """A failed sign-in from an address, for the per-address throttle."""
    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class AuditRecord(Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(sa.String(32))
    username: Mapped[str | None] = mapped_column(sa.String(64))
    actor: Mapped[str | None] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(sa.String(64))


class CaseAccessGrant(Base):
    """A case the session may show for a short while, and the reason given to open it: every read of the case
    sends the reason to the cases service, whose audit log keeps it (sealed) with the read. Ends with the session
    (sign-out, idle time-out) or at `expires_at`, whichever comes first."""
    __tablename__ = "case_access_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id_hash: Mapped[str] = mapped_column(sa.ForeignKey("sessions.id_hash", ondelete="CASCADE"), index=True)
    case_code: Mapped[str] = mapped_column(sa.String(32))
    # sealed with a key made from the browser's cookie, which the web does not keep: the table alone reads nothing
    reason_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
