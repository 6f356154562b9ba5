"""Tables of the plans service (its own database)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(16))
    version: Mapped[int] = mapped_column(default=1)
    report_deadline: Mapped[dt.date]
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    issued_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    tasks: Mapped[list["PlanTask"]] = relationship(cascade="all, delete-orphan", order_by="PlanTask.position")
    units: Mapped[list["PlanUnit"]] = relationship(cascade="all, delete-orphan", order_by="PlanUnit.position")


class PlanTask(Base):
    __tablename__ = "plan_tasks"
    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.Text)


class PlanUnit(Base):
    """A unit named in the plan's implementation organisation, with its role and assigned tasks."""
    __tablename__ = "plan_units"
    __table_args__ = (sa.UniqueConstraint("plan_id", "unit_code"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int]
    unit_code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(16))
    task_codes: Mapped[list] = mapped_column(sa.JSON)


class UnitReport(Base):
    """One revision of a unit's yearly result report."""
    __tablename__ = "unit_reports"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "unit_code", "revision"),
        sa.UniqueConstraint("commune_code", "unit_code", "idempotency_key"),
    )
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64))
    revision: Mapped[int]
    submitted_by: Mapped[str] = mapped_column(sa.String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    late: Mapped[bool]
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    tasks: Mapped[list] = mapped_column(sa.JSON)
