"""Reporting's tables: the event log and the projections rebuilt from it (reporting never reads another
service's database), and the commune reports' own records (officers' texts, workflow, stored documents),
which no rebuild touches."""
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
    title: Mapped[str | None] = mapped_column(sa.Text)
    issuing_body: Mapped[str | None] = mapped_column(sa.String(300))
    content: Mapped[dict | None] = mapped_column(sa.JSON, comment="the latest version's PlanContent, as carried")

    __table_args__ = (sa.Index("ix_plans_commune_year", "commune_code", "year"),)


class ExpectedUnit(Base):
    """A unit that must report under a plan (from the plan's latest version)."""
    __tablename__ = "expected_units"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(16), server_default="coordinating")
    task_ids: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")


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
    tasks: Mapped[list | None] = mapped_column(sa.JSON, comment="of the latest revision; null if not carried")
    indicator_values: Mapped[list | None] = mapped_column(sa.JSON)


class ReturnedRevision(Base):
    """A report revision the commune sent back. Kept apart from the submission: the return may be
    consumed before the submission it returns (separate queues), and must not be lost then."""
    __tablename__ = "returned_revisions"
    plan_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    returned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(sa.Text)


class UnitAttachment(Base):
    """A file attached to a unit report revision: its name and size (the bytes stay in plans)."""
    __tablename__ = "unit_attachments"
    attachment_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64))
    revision: Mapped[int]
    filename: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)


class DissolvedUnit(Base):
    """A unit of a commune's directory dissolved on `active_to` (the latest decision, by event time)."""
    __tablename__ = "dissolved_units"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    unit_code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    active_to: Mapped[dt.date]
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CaseFact(Base):
    """What reporting knows of a case: pseudonymous code, commune, type, and when it was escalated; while
    its victim consents to statistics, the GBVIMS type, the victim's sex and age band."""
    __tablename__ = "case_facts"
    case_code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16), index=True)
    year: Mapped[int]
    case_type: Mapped[str] = mapped_column(sa.String(64))
    counted: Mapped[bool] = mapped_column(default=False, comment="the victim consented to statistics")
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    consent_changed_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime(), comment="the latest consent change consumed; the report's consent counts only before one")
    gbvims_type: Mapped[str | None] = mapped_column(sa.String(32))
    victim_sex: Mapped[str | None] = mapped_column(sa.String(16))
    victim_age_band: Mapped[str | None] = mapped_column(sa.String(16))


class CaseMeasure(Base):
    """A measure of a case: its kind and decision (the latest, by when it changed)."""
    __tablename__ = "case_measures"
    measure_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_code: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CaseReferral(Base):
    """An escalation or referral of a case: to whom, and the receiver's latest answer."""
    __tablename__ = "case_referrals"
    referral_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    case_code: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16), comment="escalation or referral")
    authority: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CommuneSummary(Base):
    """A commune's year as the province view needs it, kept up to date as each event is applied, so that a
    province of a hundred communes (or the country's 3,321) is read without recounting raw rows."""
    __tablename__ = "commune_summaries"
    commune_code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(sa.String(2))
    plan_id: Mapped[str | None] = mapped_column(sa.String(36))
    plan_status: Mapped[str | None] = mapped_column(sa.String(16))
    report_deadline: Mapped[dt.date | None]
    expected: Mapped[int] = mapped_column(default=0)
    submitted: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[int] = mapped_column(default=0)
    late: Mapped[int] = mapped_column(default=0)
    returned: Mapped[int] = mapped_column(default=0)
    indicators: Mapped[list] = mapped_column(sa.JSON, default=list,
                                             comment="per indicator: code, name, unit, value, female, male")
    gbv_counts: Mapped[dict] = mapped_column(sa.JSON, default=dict,
                                             comment="raw counts by breakdown (suppressed when read)")

    __table_args__ = (sa.Index("ix_commune_summaries_province_year", "province_code", "year"),)


class EventRecord(Base):
    """Every event reporting applied, in the order it applied them: `binhdang reporting rebuild` drops the
    projections and applies these again."""
    __tablename__ = "event_log"
    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                                     autoincrement=True)
    event_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    event_type: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, comment="the CloudEvent as received (JSON)")
    applied_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


# the commune reports' own records: written by officers, leaders and Sở Nội vụ, never rebuilt ---------
class CommuneReportRecord(Base):
    """The workflow of a commune's report of one plan: its state and the revision in progress."""
    __tablename__ = "commune_reports"
    report_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    commune_code: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16))
    revision: Mapped[int] = mapped_column(comment="the submission in progress, or the latest one")
    text_version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    __table_args__ = (sa.Index("ix_commune_reports_commune_year", "commune_code", "year"),)


class OfficerTextVersion(Base):
    """One version of what the commune officer wrote (sections V-VII, free texts, recipients, signature)."""
    __tablename__ = "report_text_versions"
    report_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[dict] = mapped_column(sa.JSON)
    edited_by: Mapped[str] = mapped_column(sa.String(200))
    edited_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ReportTransition(Base):
    """Every change of a report's state: who, when, from what to what, why."""
    __tablename__ = "report_transitions"
    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                                    autoincrement=True)
    report_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    revision: Mapped[int]
    from_state: Mapped[str] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    actor: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    reason_category: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.Text)


class ReportSubmission(Base):
    """A submitted revision: its number, date, lateness and the hash of its JSON as stored."""
    __tablename__ = "report_submissions"
    report_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    document_number: Mapped[str] = mapped_column(sa.String(20))
    document_date: Mapped[dt.date]
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    submitted_by: Mapped[str] = mapped_column(sa.String(200))
    province_deadline: Mapped[dt.date]
    late: Mapped[bool]
    content_hash: Mapped[str] = mapped_column(sa.String(64))


class ReportDocument(Base):
    """A document of a submitted revision as produced (JSON, and DOCX and XLSX once their renderers are
    registered), never produced again."""
    __tablename__ = "report_documents"
    report_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    media_type: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
