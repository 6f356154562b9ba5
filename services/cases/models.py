"""Tables of the cases service. Victims' personal data lives only in `victim_sealed` (encrypted)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    case_type: Mapped[str] = mapped_column(sa.String(64))
    risk_level: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(32))
    intake_channel: Mapped[str] = mapped_column(sa.String(32))
    village: Mapped[str | None] = mapped_column(sa.String(200))
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    reported_by: Mapped[str] = mapped_column(sa.String(200))
    victim_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Escalation(Base):
    __tablename__ = "case_escalations"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    authority: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.Text)
    escalated_by: Mapped[str] = mapped_column(sa.String(200))
    escalated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Who read or wrote which case, when and why. Written by the service, never editable via the API."""
    __tablename__ = "case_audit_log"
    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                                    autoincrement=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    actor: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    action: Mapped[str] = mapped_column(sa.String(64))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
