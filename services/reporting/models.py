"""Reporting's own projections, rebuilt from events (it never reads another service's database)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.types import UtcDateTime


class Base(DeclarativeBase):
    metadata = sa.MetaData()


class ExpectedUnit(Base):
    """A unit that must report for a commune's plan year (from plan.issued)."""
    __tablename__ = "expected_units"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.String(36))
    plan_version: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(300))
    report_deadline: Mapped[dt.date]


class UnitSubmission(Base):
    """The latest report revision of a unit for a commune's year (from unit_report.submitted)."""
    __tablename__ = "unit_submissions"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.String(36))
    revision: Mapped[int]
    first_submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    late: Mapped[bool]


class ReturnedRevision(Base):
    """A report revision the commune sent back. Kept apart from the submission: the return may be
    consumed before the submission it returns (separate queues), and must not be lost then."""
    __tablename__ = "returned_revisions"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)


class CommuneApproval(Base):
    """The commune leader's approval of the commune's yearly report (then sent on to Sở Nội vụ)."""
    __tablename__ = "commune_approvals"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
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
