"""Reporting's own projections, rebuilt from events (it never reads another service's database)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class Plan(Base):
    """What reporting knows of a commune's plan. Created by whichever of the plan's events comes first:
    they travel on separate queues, so a close or an amendment may come before the issue."""
    __tablename__ = "plans"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    version: Mapped[int] = mapped_column(comment="latest version consumed; 0 while only the close is known")
    report_deadline: Mapped[dt.date | None]
    issued_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime(), comment="until plan.issued is consumed, the earliest amendment (issued no later)")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (sa.Index("ix_plans_commune_year", "commune_code", "year"),)


class ExpectedUnit(Base):
    """A unit that must report under a plan (from the plan's latest version)."""
    __tablename__ = "expected_units"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(300))


class UnitSubmission(Base):
    """The latest report revision of a unit under a plan (from unit_report.submitted and .revised)."""
    __tablename__ = "unit_submissions"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    report_id: Mapped[str] = mapped_column(sa.String(36))
    revision: Mapped[int]
    first_submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    late: Mapped[bool]


class ReturnedRevision(Base):
    """A report revision the commune sent back. Kept apart from the submission: the return may be
    consumed before the submission it returns (separate queues), and must not be lost then."""
    __tablename__ = "returned_revisions"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))


class DissolvedUnit(Base):
    """A unit of a commune's directory dissolved on `active_to` (the latest decision, by event time)."""
    __tablename__ = "dissolved_units"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    active_to: Mapped[dt.date]
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CommuneApproval(Base):
    """The commune leader's approval of the commune's yearly report: of one plan's unit reports."""
    __tablename__ = "commune_approvals"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    approved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    approved_by: Mapped[str] = mapped_column(sa.String(200))


class CaseFact(Base):
    """What reporting knows of a case: pseudonymous code, commune, type, and when it was escalated."""
    __tablename__ = "case_facts"
    case_code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    year: Mapped[int]
    case_type: Mapped[str] = mapped_column(sa.String(64))
    counted: Mapped[bool] = mapped_column(default=False, comment="the victim consented to statistics")
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
