"""The reporting API's answers, built from the projections, the reports and their records."""
from __future__ import annotations

from services.reporting.models import OfficerTextVersion, ReportTransition
from services.reporting.report_content import CommuneReport
from services.reporting.schemas import (
    CommuneReportAnswer,
    CommuneStatus,
    TextVersionList,
    TextVersionOut,
    TransitionList,
    TransitionOut,
)


def commune_status_view(status: dict) -> CommuneStatus:
    """`status.commune_status` as the API answers it."""
    return CommuneStatus(**status)


def report_view(report: CommuneReport) -> CommuneReportAnswer:
    return CommuneReportAnswer.model_validate(report.model_dump())


def transitions_view(rows: list[ReportTransition]) -> TransitionList:
    return TransitionList(items=[TransitionOut(
        revision=r.revision, from_state=r.from_state, to_state=r.to_state, actor=r.actor, actor_role=r.actor_role,
        at=r.at, reason_category=r.reason_category, reason=r.reason) for r in rows])


def text_versions_view(rows: list[OfficerTextVersion]) -> TextVersionList:
    return TextVersionList(items=[TextVersionOut(version=r.version, edited_by=r.edited_by, edited_at=r.edited_at,
                                                 content=r.content) for r in rows])
