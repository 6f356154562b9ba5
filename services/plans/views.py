"""The plans API's answers, built from the tables: one function per response model of schemas.py."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.plans.lifecycle import document_of
from services.plans.models import Attachment, Indicator, Plan, PlanVersion, Unit, UnitReport
from services.plans.schemas import (
    AttachmentOut,
    IndicatorOut,
    PlanOut,
    PlanSummary,
    UnitOut,
    UnitReportOut,
    VersionSummary,
)
from services.plans.unit_reports import lock_of


def unit_view(unit: Unit) -> UnitOut:
    return UnitOut(code=unit.code, commune_code=unit.commune_code, name=unit.name, unit_type=unit.unit_type,
                   active_from=unit.active_from, active_to=unit.active_to, contact_points=unit.contact_points or [])


def indicator_view(indicator: Indicator) -> IndicatorOut:
    return IndicatorOut(code=indicator.code, scope=indicator.scope, name=indicator.name,
                        unit_of_measure=indicator.unit_of_measure, value_type=indicator.value_type,
                        sex_disaggregated=indicator.sex_disaggregated, source=indicator.source,
                        reference_targets=indicator.reference_targets or [])


def plan_view(plan: Plan, version: PlanVersion) -> PlanOut:
    document = document_of(version)
    return PlanOut(id=plan.id, commune_code=plan.commune_code, year=plan.year, status=plan.status,
                   version=version.version, report_deadline=version.report_deadline, issued_at=plan.issued_at,
                   closed_at=plan.closed_at, document=document,
                   indicator_targets=version.indicator_targets or [], assigned_tasks=document.assigned_tasks(),
                   import_warnings=version.import_warnings or [])


def plan_summary(plan: Plan, version: PlanVersion) -> PlanSummary:
    return PlanSummary(id=plan.id, commune_code=plan.commune_code, year=plan.year, status=plan.status,
                       version=version.version, title=version.document.get("title", ""),
                       report_deadline=version.report_deadline)


def version_summary(version: PlanVersion) -> VersionSummary:
    return VersionSummary(version=version.version, created_at=version.created_at, created_by=version.created_by,
                          amendment_reason=version.amendment_reason, report_deadline=version.report_deadline)


def report_view(session: Session, report: UnitReport) -> UnitReportOut:
    attachments = session.scalars(sa.select(Attachment).where(Attachment.report_id == report.id)
                                  .order_by(Attachment.uploaded_at))
    return _report_out(report, [attachment_view(a) for a in attachments],
                       locked=lock_of(session, report.plan_id) is not None)


def new_report_view(report: UnitReport) -> UnitReportOut:
    """A report just submitted, without reading anything: it has no attachments yet, and it could be
    submitted only while its plan's reports were not locked (under the lock that keeps them so)."""
    return _report_out(report, [], locked=False)


def _report_out(report: UnitReport, attachments: list[AttachmentOut], locked: bool) -> UnitReportOut:
    return UnitReportOut(
        id=report.id, plan_id=report.plan_id, plan_version=report.plan_version, commune_code=report.commune_code,
        year=report.year, unit_code=report.unit_code, revision=report.revision, status=report.status,
        late=report.late, submitted_at=report.submitted_at, tasks=report.tasks,
        indicator_values=report.indicator_values or [], returned_at=report.returned_at,
        return_reason=report.return_reason, locked=locked, attachments=attachments)


def attachment_view(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(id=attachment.id, filename=attachment.filename, content_type=attachment.content_type,
                         size=attachment.size, sha256=attachment.sha256, uploaded_at=attachment.uploaded_at)
