"""Tables of the plans service (its own database)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Unit(Base):
    """A unit of the commune's directory: departments, health station, schools, front and mass
    organisations, villages. Units are created and dissolved; `active_to` is the last active day."""
    __tablename__ = "units"
    __table_args__ = (sa.UniqueConstraint("commune_code", "code"),)
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(300))
    unit_type: Mapped[str] = mapped_column(sa.String(32))
    active_from: Mapped[dt.date | None]
    active_to: Mapped[dt.date | None]
    contact_points: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Plan(Base):
    """A commune's plan for a year; its content lives in versions."""
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16))
    current_version: Mapped[int]
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    issued_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class PlanVersion(Base):
    """One version of a plan: the document and its indicator targets. Version 1 is the issued plan;
    each amendment adds a version, and every version is kept."""
    __tablename__ = "plan_versions"
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[dict] = mapped_column(sa.JSON)
    indicator_targets: Mapped[list] = mapped_column(sa.JSON, default=list)
    report_deadline: Mapped[dt.date]
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    amendment_reason: Mapped[str | None] = mapped_column(sa.Text)
    import_warnings: Mapped[list] = mapped_column(sa.JSON, default=list)


class Indicator(Base):
    """An indicator: national reference indicators (commune_code NULL) or a commune's own."""
    __tablename__ = "indicators"
    __table_args__ = (sa.UniqueConstraint("scope", "code"),)
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(16), comment="'national' or a commune code")
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.Text)
    unit_of_measure: Mapped[str] = mapped_column(sa.String(50))
    value_type: Mapped[str] = mapped_column(sa.String(16))
    sex_disaggregated: Mapped[bool]
    source: Mapped[str | None] = mapped_column(sa.Text)
    reference_targets: Mapped[list] = mapped_column(sa.JSON, default=list)


class UnitReport(Base):
    """One revision of a unit's yearly result report."""
    __tablename__ = "unit_reports"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "unit_code", "revision"),
        # A retry is the same caller resending for the same plan and unit: the key says nothing beyond that
        # (a reporter reusing "bao-cao-1" next year, or another reporter's key, is a new submission).
        sa.UniqueConstraint("plan_id", "unit_code", "submitted_by", "idempotency_key",
                            name="uq_unit_reports_idempotency_key"),
    )
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    plan_version: Mapped[int]
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    year: Mapped[int]
    unit_code: Mapped[str] = mapped_column(sa.String(64))
    revision: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16))
    submitted_by: Mapped[str] = mapped_column(sa.String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    late: Mapped[bool]
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    tasks: Mapped[list] = mapped_column(sa.JSON)
    indicator_values: Mapped[list] = mapped_column(sa.JSON, default=list)
    returned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    returned_by: Mapped[str | None] = mapped_column(sa.String(200))
    return_reason: Mapped[str | None] = mapped_column(sa.Text)


class Attachment(Base):
    """A file attached to a unit report revision (kept in the database: small, and transactional)."""
    __tablename__ = "report_attachments"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.ForeignKey("unit_reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(sa.String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ReportLock(Base):
    """A plan's unit reports are locked once the commune's report of that plan is approved (reporting's
    `commune_report.approved`), until Sở Nội vụ returns that revision; a later plan of the same year takes
    reports of its own."""
    __tablename__ = "report_locks"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    approved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    approved_by_role: Mapped[str] = mapped_column(sa.String(32))
    event_id: Mapped[str] = mapped_column(sa.String(36))
    revision: Mapped[int] = mapped_column(server_default="1", comment="the commune report revision approved")


class ReportReturn(Base):
    """Sở Nội vụ sent a revision of the commune's report of a plan back: a lock of that revision or an
    earlier one is no longer in force (kept apart, as the return may be consumed before the approval)."""
    __tablename__ = "report_returns"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    returned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    event_id: Mapped[str] = mapped_column(sa.String(36))
